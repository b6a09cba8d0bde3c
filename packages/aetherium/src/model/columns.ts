/**
 * The 57 columns of FOCUS 1.2 and their data types, from the specification's column table
 * (datasets/focus/focus_columns_v1.2.csv, FOCUS_Spec tag v1.2, CC BY 4.0).
 */
export const FOCUS_1_2_COLUMNS = Object.freeze({
  AvailabilityZone: 'string',
  BilledCost: 'decimal',
  BillingAccountId: 'string',
  BillingAccountName: 'string',
  BillingAccountType: 'string',
  BillingCurrency: 'string',
  BillingPeriodEnd: 'datetime',
  BillingPeriodStart: 'datetime',
  CapacityReservationId: 'string',
  CapacityReservationStatus: 'string',
  ChargeCategory: 'string',
  ChargeClass: 'string',
  ChargeDescription: 'string',
  ChargeFrequency: 'string',
  ChargePeriodEnd: 'datetime',
  ChargePeriodStart: 'datetime',
  CommitmentDiscountCategory: 'string',
  CommitmentDiscountId: 'string',
  CommitmentDiscountName: 'string',
  CommitmentDiscountQuantity: 'decimal',
  CommitmentDiscountStatus: 'string',
  CommitmentDiscountType: 'string',
  CommitmentDiscountUnit: 'string',
  ConsumedQuantity: 'decimal',
  ConsumedUnit: 'string',
  ContractedCost: 'decimal',
  ContractedUnitPrice: 'decimal',
  EffectiveCost: 'decimal',
  InvoiceId: 'string',
  InvoiceIssuerName: 'string',
  ListCost: 'decimal',
  ListUnitPrice: 'decimal',
  PricingCategory: 'string',
  PricingCurrency: 'string',
  PricingCurrencyContractedUnitPrice: 'decimal',
  PricingCurrencyEffectiveCost: 'decimal',
  PricingCurrencyListUnitPrice: 'decimal',
  PricingQuantity: 'decimal',
  PricingUnit: 'string',
  ProviderName: 'string',
  PublisherName: 'string',
  RegionId: 'string',
  RegionName: 'string',
  ResourceId: 'string',
  ResourceName: 'string',
  ResourceType: 'string',
  ServiceCategory: 'string',
  ServiceName: 'string',
  ServiceSubcategory: 'string',
  SkuId: 'string',
  SkuMeter: 'string',
  SkuPriceDetails: 'json',
  SkuPriceId: 'string',
  SubAccountId: 'string',
  SubAccountName: 'string',
  SubAccountType: 'string',
  Tags: 'json',
} as const);

/** Name of a FOCUS 1.2 column. */
export type FocusColumn = keyof typeof FOCUS_1_2_COLUMNS;

/** FOCUS data type of a column: `decimal`, `datetime`, `json` or `string`. */
export type FocusDataType = (typeof FOCUS_1_2_COLUMNS)[FocusColumn];

/** The columns every row must have a value in (mandatory and not nullable in FOCUS 1.2, and needed to aggregate). */
export const FOCUS_REQUIRED_COLUMNS = Object.freeze(['BilledCost', 'EffectiveCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd'] as const);
