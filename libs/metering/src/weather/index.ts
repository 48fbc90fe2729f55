export * from './open-meteo';
export * from './weather-source.service';
