/**
 * The jobs recommendations owns, by name: the type stored in `jobs.type` and the prefix of every job
 * id (jobId(SITE_ANALYSIS_JOB, key)). Changing a value orphans queued jobs: add a new one instead.
 * (Carbon and certification own no jobs.)
 */

/** `site-analysis` {siteId}: runs the analysers on a site and stores its suggestions (SiteAnalysisJob). */
export const SITE_ANALYSIS_JOB = 'site-analysis';

/** `recommendation-verification` {recommendationId}: the M&V verification of a measure (VerificationJob). */
export const RECOMMENDATION_VERIFICATION_JOB = 'recommendation-verification';
