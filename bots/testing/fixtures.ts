import type { Merchant, Staff, Station } from '../api-contract';

/** Stations as the API returns them around 解放碑 (GCJ-02). */
export const STATIONS: Station[] = [
  {
    id: 'st-1', name: '【演示】解放碑暖新驿站', address: '渝中区民族路1号', district: '渝中区', distanceM: 230, openNow: true,
    location: { lng: 106.5781, lat: 29.5576 }, todayHours: '08:00-22:00', status: 'open', statusNote: null, capacity: 10, available: 3, amenities: ['hot_water', 'phone_charging', 'toilet'],
  },
  {
    id: 'st-2', name: '【演示】较场口暖新驿站', address: '渝中区较场口88号', district: '渝中区', distanceM: 1260, openNow: false,
    location: { lng: 106.5741, lat: 29.5513 }, todayHours: '今日休息', status: 'open', statusNote: null, capacity: 6, available: null, amenities: [],
  },
  {
    id: 'st-3', name: '【演示】洪崖洞暖新驿站', address: '渝中区嘉陵江滨江路88号', district: '渝中区', distanceM: 480, openNow: false,
    location: { lng: 106.5794, lat: 29.5633 }, todayHours: '08:00-22:00', status: 'temporarily_closed', statusNote: '设备检修，6月3日恢复', capacity: 8, available: null, amenities: ['microwave'],
  },
];

export const MERCHANTS: Merchant[] = [
  {
    id: 'me-1', name: '【演示】老街小面', address: '渝中区八一路12号', distanceM: 150, category: '餐饮', openNow: true,
    location: { lng: 106.5769, lat: 29.5589 }, todayHours: '10:00-21:00',
    discount: { text: '骑手9折', kind: 'percent', percentOff: 10, amountOff: null, minSpend: null, conditions: ['出示骑手App接单页'] },
  },
  {
    id: 'me-2', name: '【演示】快修电动车', address: '渝中区中华路5号', distanceM: 2400, category: '维修', openNow: false,
    location: { lng: 106.5702, lat: 29.5521 }, todayHours: '09:00-11:00',
    discount: { text: '补胎立减5元', kind: 'amount', percentOff: null, amountOff: 5, minSpend: null, conditions: [] },
  },
];

/** The X-Bot-Token the fake service accepts. */
export const BOT_TOKEN = 'test-bot-token';
/** A fresh bind code for STAFF; the fake accepts it once. */
export const BIND_CODE = 'K7M2Q9XA';
/** A bind code the fake treats as already used (410). */
export const USED_BIND_CODE = 'USED2345';
/** A contact already bound to OTHER_STAFF when the fake starts. */
export const OTHER_CONTACT_ID = 'wxid_li';

/** The staff member BIND_CODE belongs to: a station operator in Chongqing with three stations. */
export const STAFF: Staff = {
  id: 'sf-1', role: 'station_operator', username: 'zhang', displayName: '张师傅', city: 'chongqing',
  holdings: { stationIds: ['st-1', 'st-2', 'st-3'], merchantIds: [], compoundIds: [], bodyIds: [] }, status: 'active',
};

export const OTHER_STAFF: Staff = {
  id: 'sf-2', role: 'property_manager', username: 'li', displayName: '李经理', city: 'chengdu',
  holdings: { stationIds: [], merchantIds: [], compoundIds: ['cp-1', 'cp-2'], bodyIds: [] }, status: 'active',
};
