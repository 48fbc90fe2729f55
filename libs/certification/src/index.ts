// Public API of @halve/certification: claims, evidence snapshots, reviews, certificates and verification.
export * from './entities/certification.entities';
export * from './dto/certification.dto';
export * from './workflow';
export * from './claim-rules';
export * from './evidence-file';
export * from './snapshot';
export * from './certificate-pdf';
export * from './certification.repository';
export * from './claim-evaluator.service';
export * from './claims.service';
export * from './certifier.service';
export * from './verification.service';
export * from './notifications.service';
export * from './certification.module';
export * from './dto/certification.responses';
export * from './dto/claim-snapshot.responses';
