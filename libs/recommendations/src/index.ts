// Public API of @halve/recommendations: pure calculation (analysers, M&V, tariffs), and the Nest module with its services.
export * from './mv';
export * from './mv/verification';
export * from './tariffs';
export * from './analysers';
export * from './entities/recommendation.entities';
export * from './dto/recommendations.dto';
export * from './recommendations.repository';
export * from './recommendations.service';
export * from './site-analysis.service';
export * from './verification.service';
export * from './verified-savings.service';
export * from './recommendations-demo.service';
export * from './recommendations.module';
export * from './jobs/job-types';
export * from './dto/recommendations.responses';
