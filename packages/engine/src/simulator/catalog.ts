import type { SizeInfo } from '../spec';

/**
 * Sizes the simulator offers. Names and shapes follow common EC2 types; the prices are
 * illustrative (close to us-east-1 on-demand Linux list prices of 2024) so that savings
 * estimates have realistic magnitudes. They are not a price source.
 */
export const SIMULATOR_SIZES: readonly SizeInfo[] = [
  size('t3.nano', 2, 0.5, 0.0052),
  size('t3.micro', 2, 1, 0.0104),
  size('t3.small', 2, 2, 0.0208),
  size('t3.medium', 2, 4, 0.0416),
  size('t3.large', 2, 8, 0.0832),
  size('t3.xlarge', 4, 16, 0.1664),
  size('m5.large', 2, 8, 0.096),
  size('m5.xlarge', 4, 16, 0.192),
  size('m5.2xlarge', 8, 32, 0.384),
  size('m5.4xlarge', 16, 64, 0.768),
  size('c5.large', 2, 4, 0.085),
  size('c5.xlarge', 4, 8, 0.17),
  size('c5.2xlarge', 8, 16, 0.34),
  size('r5.large', 2, 16, 0.126),
  size('r5.xlarge', 4, 32, 0.252),
];

function size(name: string, vcpus: number, memoryGiB: number, hourlyPrice: number): SizeInfo {
  return { name, vcpus, memoryGiB, hourlyPrice, currency: 'USD' };
}
