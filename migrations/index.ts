import { Platform1764300000000 } from './1764300000000-platform';
import { Metering1764300100000 } from './1764300100000-metering';
import { Forecasting1764300200000 } from './1764300200000-forecasting';
import { Carbon1764300300000 } from './1764300300000-carbon';
import { Recommendations1764300400000 } from './1764300400000-recommendations';
import { Certification1764300500000 } from './1764300500000-certification';
import { JobLeases1764300600000 } from './1764300600000-job-leases';
import { EmailVerification1764300700000 } from './1764300700000-email-verification';
import { Credentials1764300800000 } from './1764300800000-credentials';
import { LeastPrivilege1764300900000 } from './1764300900000-least-privilege';
import { SiteAnalysisSettings1764301000000 } from './1764301000000-site-analysis-settings';
import { InstrumentTechnology1764301100000 } from './1764301100000-instrument-technology';
import { WeatherSourceCache1764301300000 } from './1764301300000-weather-source-cache';
import { UtilityBills1764301400000 } from './1764301400000-utility-bills';
import { SpendLedgers1764301500000 } from './1764301500000-spend-ledgers';
import { CitusDistribution1764301600000 } from './1764301600000-citus-distribution';
import { SpendLedgerSage1764301800000 } from './1764301800000-spend-ledger-sage';
import { ActivityDetailCommuting1764301900000 } from './1764301900000-activity-detail-commuting';
import { ActivityEvidence1764302000000 } from './1764302000000-activity-evidence';
import { StarterProfiles1764301700000 } from './1764301700000-starter-profiles';
import { CitusRegistries1764302300000 } from './1764302300000-citus-registries';
import { CitusLoaderCopy1764302500000 } from './1764302500000-citus-loader-copy';
import { SiteWeatherTimestamps1764302700000 } from './1764302700000-site-weather-timestamps';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  Platform1764300000000,
  Metering1764300100000,
  Forecasting1764300200000,
  Carbon1764300300000,
  Recommendations1764300400000,
  Certification1764300500000,
  JobLeases1764300600000,
  EmailVerification1764300700000,
  Credentials1764300800000,
  LeastPrivilege1764300900000,
  SiteAnalysisSettings1764301000000,
  InstrumentTechnology1764301100000,
  WeatherSourceCache1764301300000,
  UtilityBills1764301400000,
  SpendLedgers1764301500000,
  CitusDistribution1764301600000,
  StarterProfiles1764301700000,
  SpendLedgerSage1764301800000,
  ActivityDetailCommuting1764301900000,
  ActivityEvidence1764302000000,
  CitusRegistries1764302300000,
  CitusLoaderCopy1764302500000,
  SiteWeatherTimestamps1764302700000,
];
