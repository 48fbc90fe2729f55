// Session 17 diagnostic: do NSRDB PSM3 rows describe the sun at their timestamp (instantaneous) or 15 minutes later
// (a 30-minute period mean)? ghi_clear ÷ cos(zenith) is symmetric about solar noon at the right time.
//   node --require ./scripts/swc-register.js test/bench/scratch/psm3-timing.ts ../shared/data/pv/pvdaq/system_50_ac_power_2_full_DST_psm3.csv
import * as fs from 'node:fs';
import { solarPosition } from '@halve/forecasting';
const lines = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1);
const lat = 39.7406,
  lon = -105.1775;
for (const shift of [-15, 0, 15, 30]) {
  let am = 0,
    pm = 0,
    nAm = 0,
    nPm = 0;
  for (const l of lines) {
    const c = l.split(',');
    const ms = Date.parse(c[0].replace(' ', 'T'));
    const clear = Number(c[8]);
    if (!(clear > 50)) continue;
    const z = solarPosition(ms + shift * 60_000, lat, lon).zenithDeg;
    const ratio = clear / Math.max(0.05, Math.cos((z * Math.PI) / 180));
    // ghi_clear / cos(zenith) should be symmetric about noon when the time is right
    const hour = Number(c[4]) + Number(c[5]) / 60;
    if (hour < 12) {
      am += ratio;
      nAm++;
    } else {
      pm += ratio;
      nPm++;
    }
  }
  console.log(
    `shift ${shift} min: mean ghi_clear/cos z morning ${(am / nAm).toFixed(1)} afternoon ${(pm / nPm).toFixed(1)}`,
  );
}
