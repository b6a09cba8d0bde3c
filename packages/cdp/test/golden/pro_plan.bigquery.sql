SELECT DISTINCT b.profile_id AS profile_id FROM (SELECT profile_id FROM `proj.cdp.profiles` UNION ALL SELECT profile_id FROM `proj.cdp.events` UNION ALL SELECT profile_id FROM `proj.cdp.predictions`) b WHERE EXISTS (SELECT 1 FROM `proj.cdp.profiles` t WHERE t.profile_id = b.profile_id AND JSON_VALUE(t.traits, '$.plan') = @p0) ORDER BY profile_id
-- params: {"p0":"pro"}
