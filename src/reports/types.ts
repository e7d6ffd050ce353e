/*
 * The shapes of documents the platform writes (通报 notices and 分析报告 analysis reports): an official
 * document (公文) as data — masthead, number, title, addressee, body blocks, signature, date, record
 * lines — that the .docx, HTML/PDF renderers lay out by GB/T 9704-2012. Types and constants only.
 */

/** A body block: headings carry their own numbering (一、 / （一）), tables and charts their caption. */
export type DocBlock =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; caption: string; columns: string[]; rows: string[][] }
  /** A chart rendered on the server as SVG (ECharts), with its data as a table beside it for the record. */
  | { kind: 'chart'; caption: string; svg: string; width: number; height: number };

export interface OfficialDocument {
  /** 发文机关标志, printed in red above the line (e.g. 示范市绩效考核办公室). */
  issuer: string;
  /** 发文字号, e.g. 示考办〔2026〕3号; empty until the office numbers it. */
  docNumber: string;
  title: string;
  /** 主送机关, e.g. 各区县、市直各部门 (printed with a full-width colon). */
  addressee: string;
  blocks: DocBlock[];
  /** 发文机关署名 */
  signature: string;
  /** 成文日期, YYYY-MM-DD (printed 2026年3月16日). */
  date: string;
  /** 抄送机关, empty for none. */
  cc: string;
}

export type DocumentKind = 'notice' | 'report';
export type DocumentStatus = 'draft' | 'issued';

/** A stored document: a draft the office edits, or an issued one that never changes. */
export interface DocumentView {
  id: string;
  kind: DocumentKind;
  status: DocumentStatus;
  /** The published run a notice is built from, or the period a report covers. */
  runId: string | null;
  periodId: string | null;
  document: OfficialDocument;
  /** SHA-256 of the canonical JSON of the data the document was built from. */
  dataDigest: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  issuedAt: string | null;
  issuedBy: string | null;
}

export interface DocumentSummary {
  id: string;
  kind: DocumentKind;
  status: DocumentStatus;
  title: string;
  docNumber: string;
  runId: string | null;
  periodId: string | null;
  createdAt: string;
  issuedAt: string | null;
}
