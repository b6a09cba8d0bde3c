/**
 * The 57 columns of FOCUS 1.2 and their data types, from the specification's column table
 * (datasets/focus/focus_columns_v1.2.csv, FOCUS_Spec tag v1.2, CC BY 4.0).
 */
export const FOCUS_1_2_COLUMNS = Object.freeze({
  /** Availability Zone: dimension, recommended, String, nullable. */
  AvailabilityZone: 'string',
  /** Billed Cost: metric, mandatory, Decimal, not nullable. */
  BilledCost: 'decimal',
  /** Billing Account ID: dimension, mandatory, String, not nullable. */
  BillingAccountId: 'string',
  /** Billing Account Name: dimension, mandatory, String, nullable. */
  BillingAccountName: 'string',
  /** Billing Account Type: dimension, conditional, String, not nullable. */
  BillingAccountType: 'string',
  /** Billing Currency: dimension, mandatory, String, not nullable. */
  BillingCurrency: 'string',
  /** Billing Period End: dimension, mandatory, Date/Time, not nullable. */
  BillingPeriodEnd: 'datetime',
  /** Billing Period Start: dimension, mandatory, Date/Time, not nullable. */
  BillingPeriodStart: 'datetime',
  /** Capacity Reservation ID: dimension, conditional, String, nullable. */
  CapacityReservationId: 'string',
  /** Capacity Reservation Status: dimension, conditional, String, nullable. */
  CapacityReservationStatus: 'string',
  /** Charge Category: dimension, mandatory, String, not nullable. */
  ChargeCategory: 'string',
  /** Charge Class: dimension, mandatory, String, nullable. */
  ChargeClass: 'string',
  /** Charge Description: dimension, mandatory, String, nullable. */
  ChargeDescription: 'string',
  /** Charge Frequency: dimension, recommended, String, not nullable. */
  ChargeFrequency: 'string',
  /** Charge Period End: dimension, mandatory, Date/Time, not nullable. */
  ChargePeriodEnd: 'datetime',
  /** Charge Period Start: dimension, mandatory, Date/Time, not nullable. */
  ChargePeriodStart: 'datetime',
  /** Commitment Discount Category: dimension, conditional, String, nullable. */
  CommitmentDiscountCategory: 'string',
  /** Commitment Discount ID: dimension, conditional, String, nullable. */
  CommitmentDiscountId: 'string',
  /** Commitment Discount Name: dimension, conditional, String, nullable. */
  CommitmentDiscountName: 'string',
  /** Commitment Discount Quantity: metric, conditional, Decimal, nullable. */
  CommitmentDiscountQuantity: 'decimal',
  /** Commitment Discount Status: dimension, conditional, String, nullable. */
  CommitmentDiscountStatus: 'string',
  /** Commitment Discount Type: dimension, conditional, String, nullable. */
  CommitmentDiscountType: 'string',
  /** Commitment Discount Unit: dimension, conditional, String, nullable. */
  CommitmentDiscountUnit: 'string',
  /** Consumed Quantity: metric, conditional, Decimal, nullable. */
  ConsumedQuantity: 'decimal',
  /** Consumed Unit: dimension, conditional, String, nullable. */
  ConsumedUnit: 'string',
  /** Contracted Cost: metric, mandatory, Decimal, not nullable. */
  ContractedCost: 'decimal',
  /** Contracted Unit Price: metric, conditional, Decimal, nullable. */
  ContractedUnitPrice: 'decimal',
  /** Effective Cost: metric, mandatory, Decimal, not nullable. */
  EffectiveCost: 'decimal',
  /** Invoice ID: dimension, recommended, String, nullable. */
  InvoiceId: 'string',
  /** Invoice Issuer: dimension, mandatory, String, not nullable. */
  InvoiceIssuerName: 'string',
  /** List Cost: metric, mandatory, Decimal, not nullable. */
  ListCost: 'decimal',
  /** List Unit Price: metric, conditional, Decimal, nullable. */
  ListUnitPrice: 'decimal',
  /** Pricing Category: dimension, conditional, String, nullable. */
  PricingCategory: 'string',
  /** Pricing Currency: dimension, conditional, String, nullable. */
  PricingCurrency: 'string',
  /** Pricing Currency Contracted Unit Price: metric, conditional, Decimal, nullable. */
  PricingCurrencyContractedUnitPrice: 'decimal',
  /** Pricing Currency Effective Cost: metric, conditional, Decimal, nullable. */
  PricingCurrencyEffectiveCost: 'decimal',
  /** Pricing Currency List Unit Price: metric, conditional, Decimal, nullable. */
  PricingCurrencyListUnitPrice: 'decimal',
  /** Pricing Quantity: metric, mandatory, Decimal, nullable. */
  PricingQuantity: 'decimal',
  /** Pricing Unit: dimension, mandatory, String, nullable. */
  PricingUnit: 'string',
  /** Provider: dimension, mandatory, String, not nullable. */
  ProviderName: 'string',
  /** Publisher: dimension, mandatory, String, not nullable. */
  PublisherName: 'string',
  /** Region ID: dimension, conditional, String, nullable. */
  RegionId: 'string',
  /** Region Name: dimension, conditional, String, nullable. */
  RegionName: 'string',
  /** Resource ID: dimension, conditional, String, nullable. */
  ResourceId: 'string',
  /** Resource Name: dimension, conditional, String, nullable. */
  ResourceName: 'string',
  /** Resource Type: dimension, conditional, String, nullable. */
  ResourceType: 'string',
  /** Service Category: dimension, mandatory, String, not nullable. */
  ServiceCategory: 'string',
  /** Service Name: dimension, mandatory, String, not nullable. */
  ServiceName: 'string',
  /** Service Subcategory: dimension, recommended, String, not nullable. */
  ServiceSubcategory: 'string',
  /** SKU ID: dimension, conditional, String, nullable. */
  SkuId: 'string',
  /** SKU Meter: dimension, conditional, String, nullable. */
  SkuMeter: 'string',
  /** SKU Price Details: dimension, conditional, JSON, nullable. */
  SkuPriceDetails: 'json',
  /** SKU Price ID: dimension, conditional, String, nullable. */
  SkuPriceId: 'string',
  /** Sub Account ID: dimension, conditional, String, nullable. */
  SubAccountId: 'string',
  /** Sub Account Name: dimension, conditional, String, nullable. */
  SubAccountName: 'string',
  /** Sub Account Type: dimension, conditional, String, nullable. */
  SubAccountType: 'string',
  /** Tags: dimension, conditional, JSON, nullable. */
  Tags: 'json',
} as const);

/** Name of a FOCUS 1.2 column. */
export type FocusColumn = keyof typeof FOCUS_1_2_COLUMNS;

/** FOCUS data type of a column: `decimal`, `datetime`, `json` or `string`. */
export type FocusDataType = (typeof FOCUS_1_2_COLUMNS)[FocusColumn];

/** The columns every row must have a value in (mandatory and not nullable in FOCUS 1.2, and needed to aggregate). */
export const FOCUS_REQUIRED_COLUMNS = Object.freeze(['BilledCost', 'EffectiveCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd'] as const);
