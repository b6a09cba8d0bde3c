import { createMemoryCostSource } from '../src/adapters/memory/index';
import { describeCostSourceConformance } from '../src/testing/index';

describeCostSourceConformance({ name: 'memory', create: (fixture) => createMemoryCostSource({ rows: fixture.rows }) });
describeCostSourceConformance({
  name: 'memory without tags or monthly rows',
  create: (fixture) => createMemoryCostSource({ rows: fixture.rows, capabilities: { groupByTag: false, filterByTag: false, monthlyCosts: false } }),
});
