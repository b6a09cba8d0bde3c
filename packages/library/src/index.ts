/**
 * `@almanac/library`: one storage interface over S3, Google Cloud Storage, Azure Blob,
 * local disk and memory, with data intelligence (classification, compliance, tiering).
 *
 * Adapters ship as subpath exports (`@almanac/library/memory`, `/fs`, `/s3`, `/gcs`,
 * `/azure`); this root entry loads no cloud SDK.
 *
 * @packageDocumentation
 */
export * from './spec';
export * from './facade/index';
export * from './intelligence/index';
