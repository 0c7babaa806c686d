/**
 * How long personal data is kept: one set of numbers for the BFF's defaults (config/bff.ts, the
 * retention job, the draft TTL) and the privacy policy page, so the text cannot drift from what runs.
 */

/**
 * Days a closed case (办结, 不予受理 or 撤回) keeps the complainant's personal data and evidence
 * after its last change. Three years: a consumer may complain within 3 years of knowing of the harm
 * (民法典 Art 188; a complaint beyond that is not accepted, Order 20 Art 15), so within that time the
 * same dispute may come back or be reviewed (reconsideration, litigation) and the bureau needs the
 * closed file to answer it. The archive period the regulator itself sets for 12315 case files was
 * not confirmed from a source; when it is, set RETENTION_CLOSED_CASE_DAYS to it. After this period
 * only anonymous counts remain (个人信息保护法 Art 47: delete when the retention period ends).
 */
export const RETENTION_CLOSED_CASE_DAYS = 3 * 365;

/** A draft nobody touched for this long is deleted. */
export const DRAFT_KEEP_DAYS = 30;

/**
 * An uploaded file no case cites is erased this long after its upload or after the last save of a
 * draft that lists it: the same time a draft is kept, so a form left for later keeps its files.
 */
export const UNFILED_UPLOAD_KEEP_DAYS = DRAFT_KEEP_DAYS;

/** A link code (关联码) for joining one person's WeChat and Alipay accounts is valid this long. */
export const LINK_CODE_TTL_MINUTES = 10;
