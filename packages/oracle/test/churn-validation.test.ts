import { describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdProbabilityAlive,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  paretoNbdProbabilityAlive,
  rfmSummary,
  trainChurnModel,
} from '../src/churn';
import { OracleRangeError, OracleTypeError } from '../src/errors';

const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const ok = { frequency: 1, recency: 2, T: 3 };

function expectError(fn: () => unknown, type: typeof OracleRangeError | typeof OracleTypeError, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    expect((e as OracleRangeError).field).toBe(field);
    expect((e as Error).message.startsWith(field)).toBe(true);
    return;
  }
  throw new Error(`expected ${type.name} on ${field}`);
}

describe('input validation', () => {
  it('names the bad customer field', () => {
    expectError(() => fitBgNbd([]), OracleRangeError, 'customers');
    expectError(() => fitBgNbd('x' as never), OracleTypeError, 'customers');
    expectError(() => fitBgNbd([ok, { ...ok, frequency: Number.NaN }]), OracleRangeError, 'customers[1].frequency');
    expectError(() => fitBgNbd([{ ...ok, frequency: 1.5 }]), OracleRangeError, 'customers[0].frequency');
    expectError(() => fitBgNbd([{ ...ok, recency: -1 }]), OracleRangeError, 'customers[0].recency');
    expectError(() => fitBgNbd([{ ...ok, recency: 4 }]), OracleRangeError, 'customers[0].recency');
    expectError(() => fitBgNbd([{ frequency: 0, recency: 1, T: 3 }]), OracleRangeError, 'customers[0].recency');
    expectError(() => fitBgNbd([{ ...ok, T: '3' } as never]), OracleTypeError, 'customers[0].T');
    expectError(() => fitParetoNbd([null as never]), OracleTypeError, 'customers[0]');
    expectError(() => fitBgNbd([ok], { maxEvaluations: 0 }), OracleRangeError, 'options.maxEvaluations');
    expectError(() => fitBgNbd([ok], { initial: { r: -1 } }), OracleRangeError, 'options.initial.r');
  });

  it('names the bad parameter, customer or horizon of predictions', () => {
    expectError(() => bgNbdProbabilityAlive({ ...BG, r: 0 }, ok), OracleRangeError, 'params.r');
    expectError(() => bgNbdProbabilityAlive({ ...BG, alpha: Number.POSITIVE_INFINITY }, ok), OracleRangeError, 'params.alpha');
    expectError(() => bgNbdProbabilityAlive(BG, { ...ok, T: 1 }), OracleRangeError, 'customer.recency');
    expectError(() => bgNbdExpectedPurchases(BG, ok, -1), OracleRangeError, 't');
    expectError(() => bgNbdExpectedPurchasesNew(BG, Number.NaN), OracleRangeError, 't');
    expectError(() => paretoNbdProbabilityAlive({ r: 1, alpha: 1, s: 1 } as never, ok), OracleTypeError, 'params.beta');
  });

  it('validates spend inputs', () => {
    expectError(() => fitGammaGamma([{ frequency: 2, monetaryValue: 0 }]), OracleRangeError, 'customers[0].monetaryValue');
    expectError(() => fitGammaGamma([{ frequency: 2, monetaryValue: -5 }]), OracleRangeError, 'customers[0].monetaryValue');
    const input = {
      bgNbd: BG,
      gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
      customer: { ...ok, monetaryValue: 10 },
      horizonMonths: 12,
      monthlyDiscountRate: 0.01,
      timeUnitsPerMonth: 4.345,
    };
    expectError(() => customerLifetimeValue({ ...input, horizonMonths: 1.5 }), OracleRangeError, 'input.horizonMonths');
    expectError(() => customerLifetimeValue({ ...input, monthlyDiscountRate: -0.1 }), OracleRangeError, 'input.monthlyDiscountRate');
    expectError(() => customerLifetimeValue({ ...input, timeUnitsPerMonth: 0 }), OracleRangeError, 'input.timeUnitsPerMonth');
    expectError(() => customerLifetimeValue({ ...input, customer: { ...ok } } as never), OracleTypeError, 'input.customer.monetaryValue');
  });

  it('validates transactions', () => {
    const opts = { calibrationEnd: '2024-01-31', timeUnit: 'days' } as const;
    expectError(() => rfmSummary([], opts), OracleRangeError, 'transactions');
    expectError(() => rfmSummary([{ customerId: 'a', at: 'yesterday', value: 1 }], opts), OracleRangeError, 'transactions[0].at');
    expectError(() => rfmSummary([{ customerId: 'a', at: '2024-01-01', value: -1 }], opts), OracleRangeError, 'transactions[0].value');
    expectError(() => rfmSummary([{ customerId: '', at: '2024-01-01', value: 1 }], opts), OracleTypeError, 'transactions[0].customerId');
    expectError(() => rfmSummary([{ customerId: 'a', at: '2024-01-01', value: 1 }], { ...opts, timeUnit: 'months' as never }), OracleTypeError, 'options.timeUnit');
    expectError(
      () => rfmSummary([{ customerId: 'a', at: '2024-01-01', value: 1 }], { ...opts, observationStart: '2024-02-01' }),
      OracleRangeError,
      'options.observationStart',
    );
  });

  it('validates churn training rows', () => {
    const rows = [
      { features: { a: 1 }, churned: true },
      { features: { a: 2 }, churned: false },
    ];
    expectError(() => trainChurnModel([], { l2: 1 }), OracleRangeError, 'rows');
    expectError(() => trainChurnModel(rows, { l2: -1 }), OracleRangeError, 'options.l2');
    expectError(() => trainChurnModel([...rows, { features: {}, churned: true }], { l2: 1 }), OracleTypeError, 'rows[2].features.a');
    expectError(() => trainChurnModel([...rows, { features: { a: 1, b: 2 }, churned: true }], { l2: 1 }), OracleRangeError, 'rows[2].features.b');
    expectError(() => trainChurnModel([...rows, { features: { a: Number.NaN }, churned: true }], { l2: 1 }), OracleRangeError, 'rows[2].features.a');
    expectError(() => trainChurnModel([{ features: { a: 1 }, churned: 'yes' as never }], { l2: 1 }), OracleTypeError, 'rows[0].churned');
    expectError(() => trainChurnModel([rows[0] as never], { l2: 1 }), OracleRangeError, 'rows');
    expectError(() => trainChurnModel(rows, { l2: 1, thresholds: { medium: 0.7, high: 0.5 } }), OracleRangeError, 'options.thresholds.high');
  });
});
