/*
 * Personal numbers in free text (what a rater typed): masked wherever the text is shown. Shared by the
 * areas that show raters' words (cases, the held-ratings queue).
 */

const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)/g;
const LONG_DIGITS = /\d{7,}/g;

/**
 * A comment as anyone but the rater may read it (the public, the unit's staff, the office): resident ID numbers, mobile and landline numbers and any other
 * long run of digits (bank cards, case numbers with a person in them) are masked.
 */
export function maskPersonalData(text: string): string {
  // Full-width digits (and Ｘ in ID numbers) are read as digits; every other character stays as written.
  return text
    .replace(/[０-９Ｘｘ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(ID_NUMBER, (_m, head: string) => `${head}********${'*'.repeat(4)}`)
    .replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string) => `${area}-********`)
    .replace(LONG_DIGITS, (m) => '*'.repeat(m.length));
}
