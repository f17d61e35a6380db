import type { City, GeoRepository, PlaceInput } from '../../shared/domain';
import type { LngLat } from '../../shared/geo';
import type { OpeningHours } from '../../shared/hours';

export const MERCHANT_CATEGORIES = ['餐饮', '便利店', '维修', '理发', '洗衣', '药店', '其他'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export interface Discount {
  text: string;
  kind: 'percent' | 'amount' | 'other';
  percentOff: number | null; // 12 means 12% off (八八折)
  amountOff: number | null; // yuan
  minSpend: number | null; // yuan
  conditions: string[];
}

export interface MerchantInput extends PlaceInput {
  category: MerchantCategory;
  discount: Discount;
  validFrom: Date | null;
  validTo: Date | null;
  hours: OpeningHours;
  phone: string | null;
  status: 'active' | 'inactive';
  isDemo: boolean;
}

export interface Merchant extends MerchantInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MerchantNearbyQuery {
  center: LngLat;
  radiusM: number;
  limit: number;
  category?: MerchantCategory;
  city?: City;
  /** Only merchants whose discount is valid at this time. */
  validAt: Date;
}

export type MerchantRepository = GeoRepository<MerchantInput, Merchant, MerchantNearbyQuery>;

/** What the merchants feature keeps in storage. */
export interface MerchantsStorage {
  readonly merchants: MerchantRepository;
}
