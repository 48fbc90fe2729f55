import { ApiProperty } from '@nestjs/swagger';
import { CABIN_CLASSES, HAULS, type CabinClass, type Haul } from '../data-input/flight';

/** How a flight's passenger.km were worked out (DESNZ: great circle + 8 %, × legs × passengers). */
export class FlightDetailView {
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty({ description: 'great-circle km one way (haversine, R = 6371 km)' }) greatCircleKm: string;
  @ApiProperty({ description: 'km one way with the uplift' }) upliftedKm: string;
  @ApiProperty({ example: '1.08' }) uplift: string;
  @ApiProperty({ enum: HAULS, enumName: 'FlightHaul' }) haul: Haul;
  @ApiProperty({ enum: CABIN_CLASSES, enumName: 'CabinClass' }) cabinClass: CabinClass;
  @ApiProperty({ enum: CABIN_CLASSES, enumName: 'CabinClass' }) factorClass: CabinClass;
  @ApiProperty() returnTrip: boolean;
  @ApiProperty() passengers: number;
  @ApiProperty() radiativeForcing: boolean;
  @ApiProperty() passengerKm: string;
  @ApiProperty() variant: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

/** How a fuel bought by money became litres. */
export class FuelSpendDetailView {
  @ApiProperty() amount: string;
  @ApiProperty() currency: string;
  @ApiProperty() pricePerLitre: string;
  @ApiProperty() priceSource: string;
  @ApiProperty({ description: 'false: the stated, unverified default price' }) priceEntered: boolean;
  @ApiProperty() litres: string;
}

/** A listed airport. */
export class AirportView {
  @ApiProperty({ example: 'LHR' }) iata: string;
  @ApiProperty({ example: 'EGLL' }) icao: string;
  @ApiProperty() name: string;
  @ApiProperty() city: string;
  @ApiProperty({ example: 'GB' }) country: string;
  @ApiProperty() lat: number;
  @ApiProperty() lon: number;
}
