import { ApiProperty } from '@nestjs/swagger';
import { COMMUTE_MODE_KEYS, type CommuteMode } from './commuting';

export class CommuteModeChoiceView {
  @ApiProperty({ enum: COMMUTE_MODE_KEYS, enumName: 'CommuteMode' }) mode: CommuteMode;
  @ApiProperty() label: string;
}

/** GET /commuting-surveys/{token}: what an employee sees (nothing of the organisation but its name). */
export class PublicCommutingSurveyView {
  @ApiProperty() organisation: string;
  @ApiProperty() title: string;
  @ApiProperty() year: number;
  @ApiProperty() closed: boolean;
  @ApiProperty({ type: () => CommuteModeChoiceView, isArray: true }) modes: CommuteModeChoiceView[];
}

export class CommutingAnswerReceivedView {
  @ApiProperty() received: boolean;
}

export class CommutingModeTotalView {
  @ApiProperty({ enum: COMMUTE_MODE_KEYS, enumName: 'CommuteMode' }) mode: CommuteMode;
  @ApiProperty() label: string;
  @ApiProperty() respondents: number;
  @ApiProperty({ description: 'km a year of the answers' }) surveyedKm: string;
  @ApiProperty({ description: 'surveyedKm × employees ÷ respondents' }) extrapolatedKm: string;
  @ApiProperty({ type: String, nullable: true }) activity: string | null;
  @ApiProperty({ type: String, nullable: true }) variant: string | null;
  @ApiProperty() unit: string;
  @ApiProperty({ type: Number, nullable: true, description: 'kg CO2e of extrapolatedKm (0 walking/cycling)' })
  kgCo2e: number | null;
  @ApiProperty({ type: String, nullable: true }) factorId: string | null;
}

export class CommutingResponseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: COMMUTE_MODE_KEYS, enumName: 'CommuteMode' }) mode: string;
  @ApiProperty() distanceKm: string;
  @ApiProperty() daysPerWeek: string;
  @ApiProperty() weeksPerYear: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class CommutingSurveyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() year: number;
  @ApiProperty() title: string;
  @ApiProperty() employees: number;
  @ApiProperty() closed: boolean;
  @ApiProperty() respondents: number;
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'activities made from it' })
  activityIds: string[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** POST …/commuting-surveys: the survey and its link, shown this once (only its hash is kept). */
export class CreatedCommutingSurveyView extends CommutingSurveyView {
  @ApiProperty({ description: 'the secret token of the link' }) token: string;
  @ApiProperty({ example: '/survey/…', description: 'portal path to share' }) link: string;
}

export class CommutingSurveyDetailView extends CommutingSurveyView {
  @ApiProperty({ type: () => CommutingResponseView, isArray: true }) responses: CommutingResponseView[];
  @ApiProperty({ type: String, nullable: true, description: 'employees ÷ respondents' }) scale: string | null;
  @ApiProperty({ description: 'how the total is worked out' }) method: string;
  @ApiProperty({ type: () => CommutingModeTotalView, isArray: true }) modes: CommutingModeTotalView[];
  @ApiProperty({ description: 'kg CO2e of all modes, extrapolated' }) totalKgCo2e: number;
}
