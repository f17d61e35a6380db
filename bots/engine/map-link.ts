/** A Gaode (Amap) marker link for a GCJ-02 point, which WeChat opens in the map app or the browser. */
export function mapLink(point: { lng: number; lat: number }, name: string): string {
  const position = `${Number(point.lng.toFixed(6))},${Number(point.lat.toFixed(6))}`;
  return `https://uri.amap.com/marker?position=${position}&name=${encodeURIComponent(name)}&coordinate=gaode`;
}
