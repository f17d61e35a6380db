import { z } from 'zod';
import { CITIES } from '../storage/types';

/** Required trimmed text with a length cap and Chinese messages. */
export const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 字`);

export const citySchema = z.enum(CITIES, { message: `可选：${CITIES.join(', ')}` });

export const externalIdSchema = z.string().trim().min(1).max(100).nullable();

export const phoneSchema = z.string().trim().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$/, '电话号码格式不正确');

export const lngLatSchema = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});

/** Fields every located aggregate (station, merchant) shares. */
export const placeFields = {
  externalId: externalIdSchema,
  name: text(100),
  city: citySchema,
  district: text(50),
  address: text(200),
  location: lngLatSchema,
};
