import type { ErrorCode } from '../core/error-codes.js';
import type { Transaction } from 'kysely';
import { hasPermission, unitScopeOf, type Actor, requirePermission as require } from '../core/auth/model.js';
import { actorLabel } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import { uniqueViolation, type Executor } from '../core/db/database.js';
import type { DB } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { maskPersonalData } from '../core/mask.js';
import {
  AppError,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  TooManyRequests,
  Unauthorized,
} from '../core/errors.js';
import { newId, newSecret } from '../core/ids.js';
import { putSetting } from '../core/settings/store.js';
import { chinaDate, isoNow } from '../core/time.js';
import { assertOverrideUnitsExist, overridesByUnit } from '../registry/service.js';
import * as registryStore from '../registry/store.js';
import { assertAncestryInScope, scopeRootOf } from '../registry/scope.js';
import * as registryTree from '../registry/tree.js';
import { addressDigest, addressSalt, CONFIG_KEY, loadRatingsConfig } from './config.js';
import {
  alreadyRated,
  countRatings,
  ingestQueue,
  linkNotFound,
  type RatingAnswer,
  type RatingContent,
  type RatingSource,
} from './ingest.js';
import {
  channelOfDevice,
  configProblems,
  externalNoCandidates,
  hallRefusal,
  KIOSK_GRACE_MINUTES,
  KIOSK_LOOKUP_LIMIT,
  KIOSK_LOOKUP_WINDOW_MINUTES,
  kioskLookback,
  kioskRefusal,
  lookupBlockedUntil,
  overrideProblems,
  settingsForUnit,
  type HallRefusal,
  type KioskRefusal,
  DIMENSION_NAMES,
  DIMENSIONS,
  LEVEL_NAMES,
  LEVELS,
  staffDisplay,
  type DeviceKind,
  type FraudFlag,
  type Level,
  type RatingsConfig,
  type RatingsSettings,
  type ServiceMode,
  type UnitRatingsOverride,
} from './model.js';
import { qrSvg } from './qr.js';
import { parseScopes, scopesFor } from './rollups.js';
import { adjustActivity, adjustActivityMany, adjustRatingCounts } from './store.js';
import * as store from './store.js';
import type {
  DeviceView,
  HeldRatingView,
  KioskFound,
  KioskTransactionView,
  KioskWaiting,
  LevelView,
  RateForm,
  RatingPage,
  RatingsConfigInput,
  RatingsSettingsView,
  TransactionInput,
  TransactionView,
  UnitOverrideInput,
} from './types.js';

// Declared in types.ts (shared with web/); re-exported for the callers that import them from here.
export type { RatingsConfigInput, TransactionInput, TransactionView } from './types.js';

// --- access ----------------------------------------------------------------------------------

/** Refuses when the actor is confined to a subtree that does not hold the unit (as the tree stands on the date). */
export async function assertUnitInScope(
  db: Executor,
  actor: Actor,
  unitId: string,
  date: string,
): Promise<void> {
  if (scopeRootOf(actor) === null) return;
  assertAncestryInScope(actor, unitId, await registryTree.ancestryInForce(db, unitId, date));
}

const today = (deps: Deps) => chinaDate(deps.clock.now());

// --- transactions (办件) -----------------------------------------------------------------------

export type BatchItemResult =
  | { index: number; status: 'created'; transaction: TransactionView }
  | {
      index: number;
      status: 'duplicate';
      code: 'duplicate';
      field: 'externalNo';
      message: string;
      existingId: string;
    }
  | { index: number; status: 'error'; code: ErrorCode; field: string | null; message: string };

export interface LinkOptions {
  /** Public base URL (MINPING_PUBLIC_URL), for the absolute link and the QR code. */
  publicUrl: string;
  qr: boolean;
}

export const MAX_BATCH = 500;

const MAX_AHEAD_MS = 24 * 3600_000;

function instant(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Invalid(
      'invalid_date_time',
      `${field} must be a date and time such as 2026-03-16T09:30:00+08:00.`,
      {
        field,
      },
    );
  }
  return date;
}

interface Prepared {
  row: store.TransactionRow;
  token: string;
}

/** Checks one transaction and builds its row; throws the first problem found. */
async function prepareTransaction(
  trx: Executor,
  actor: Actor,
  input: TransactionInput,
  now: Date,
  config: RatingsConfig,
  ancestryCache: Map<string, string[]>,
): Promise<Prepared> {
  const ancestryOn = async (unitId: string, day: string) => {
    const key = `${unitId}|${day}`;
    let chain = ancestryCache.get(key);
    if (!chain) {
      chain = await registryTree.ancestryInForce(trx, unitId, day);
      ancestryCache.set(key, chain);
    }
    return chain;
  };
  const externalNo = input.externalNo.trim();
  if (externalNo.length === 0) {
    throw new Invalid('invalid_input', 'The field "externalNo" must not be blank.', { field: 'externalNo' });
  }
  const received = instant(input.receivedAt, 'receivedAt');
  const completed = input.completedAt ? instant(input.completedAt, 'completedAt') : null;
  if (received.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw new Invalid('in_future', 'receivedAt lies in the future.', { field: 'receivedAt' });
  }
  if (completed && completed.getTime() < received.getTime()) {
    throw new Invalid('completed_before_received', 'completedAt is earlier than receivedAt.', {
      field: 'completedAt',
    });
  }
  if (completed && completed.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw new Invalid('in_future', 'completedAt lies in the future.', { field: 'completedAt' });
  }
  const day = chinaDate(completed ?? received);
  const chain = await ancestryOn(input.unitId, day);
  if (chain.length === 0) {
    throw new Invalid('unit_not_in_force', `The unit does not exist or is not in force on ${day}.`, {
      field: 'unitId',
      date: day,
    });
  }
  assertAncestryInScope(actor, input.unitId, chain);
  // An item or staff member belongs with the unit when it sits at the unit, above it (the section a
  // window serves) or below it (a window of the section that recorded the transaction).
  const related = async (otherUnitId: string) =>
    chain.includes(otherUnitId) || (await ancestryOn(otherUnitId, day)).includes(input.unitId);
  const serviceItemId = input.serviceItemId ?? null;
  if (serviceItemId) {
    const item = await registryStore.serviceItemById(trx, serviceItemId);
    if (!item) {
      throw new Invalid('unknown_service_item', 'The chosen service item does not exist.', {
        field: 'serviceItemId',
      });
    }
    if (item.active !== 1) {
      throw new Invalid('service_item_inactive', `The service item ${item.name} is no longer offered.`, {
        field: 'serviceItemId',
      });
    }
    if (!(await related(item.unitId))) {
      throw new Invalid(
        'service_item_not_of_unit',
        `The service item ${item.name} is not handled by this unit.`,
        {
          field: 'serviceItemId',
        },
      );
    }
    if (item.mode !== 'both' && item.mode !== input.mode) {
      throw new Invalid('mode_mismatch', `The service item ${item.name} is handled ${item.mode} only.`, {
        field: 'mode',
      });
    }
  }
  const staffId = input.staffId ?? null;
  if (staffId) {
    const person = await registryStore.staffById(trx, staffId);
    if (!person)
      throw new Invalid('unknown_staff', 'The chosen staff member does not exist.', { field: 'staffId' });
    if (person.active !== 1) {
      throw new Invalid('staff_inactive', 'The chosen staff member is no longer active.', {
        field: 'staffId',
      });
    }
    if (!(await related(person.unitId))) {
      throw new Invalid('staff_not_of_unit', 'The chosen staff member does not work at this unit.', {
        field: 'staffId',
      });
    }
  }
  const token = newSecret();
  const at = now.toISOString();
  const served = completed ?? received;
  const defaultFrom = served.getTime() > now.getTime() ? served : now;
  return {
    token,
    row: {
      id: newId(),
      externalNo,
      jurisdictionId: chain[chain.length - 1] ?? input.unitId,
      unitId: input.unitId,
      serviceItemId,
      staffId,
      mode: input.mode,
      receivedAt: received.toISOString(),
      completedAt: completed?.toISOString() ?? null,
      day,
      contactName: input.contactName?.trim() ?? '',
      contactPhone: input.contactPhone?.trim() ?? '',
      tokenHash: sha256Hex(token),
      tokenExpiresAt: new Date(now.getTime() + config.linkValidDays * 86_400_000).toISOString(),
      defaultDueAt: new Date(defaultFrom.getTime() + config.defaultAfterDays * 86_400_000).toISOString(),
      ratingId: null,
      source: actorLabel(actor),
      createdAt: at,
      rollupScopes: JSON.stringify(scopesFor(chain, staffId, serviceItemId)),
    },
  };
}

function errorResult(index: number, error: unknown): BatchItemResult {
  if (error instanceof AppError) {
    const field = typeof error.params.field === 'string' ? error.params.field : null;
    return { index, status: 'error', code: error.code, field, message: error.message };
  }
  throw error;
}

function presentTransaction(row: store.TransactionRow, token: string, options: LinkOptions): TransactionView {
  const ratingUrl = `/r/${token}`;
  const ratingLink = `${options.publicUrl.replace(/\/+$/, '')}${ratingUrl}`;
  return {
    id: row.id,
    externalNo: row.externalNo,
    unitId: row.unitId,
    serviceItemId: row.serviceItemId,
    staffId: row.staffId,
    mode: row.mode as ServiceMode,
    receivedAt: row.receivedAt,
    completedAt: row.completedAt,
    day: row.day,
    ratingUrl,
    ratingLink,
    expiresAt: row.tokenExpiresAt,
    defaultDueAt: row.defaultDueAt,
    ...(options.qr ? { qrSvg: qrSvg(ratingLink) } : {}),
  };
}

/**
 * Records transactions (办件) in one database transaction and answers each on its own: created (with
 * its rating link), duplicate (the external number is already recorded in the jurisdiction) or error.
 * Every created transaction adds 1 to `transactions` under its scopes on its day.
 */
export async function recordTransactions(
  deps: Deps,
  actor: Actor,
  inputs: readonly TransactionInput[],
  options: LinkOptions,
): Promise<BatchItemResult[]> {
  require(actor, 'transactions:write');
  if (inputs.length > MAX_BATCH) {
    throw new Invalid('batch_too_large', `Send at most ${MAX_BATCH} transactions at once.`, {
      field: 'items',
    });
  }
  const attempt = () =>
    deps.database.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const config = await loadRatingsConfig(trx);
      const cache = new Map<string, string[]>();
      const prepared: (Prepared | BatchItemResult)[] = [];
      for (const [index, input] of inputs.entries()) {
        try {
          prepared.push(await prepareTransaction(trx, actor, input, now, config, cache));
        } catch (error) {
          prepared.push(errorResult(index, error));
        }
      }
      // Duplicates: against what is recorded, and within the batch (the first one wins).
      const byJurisdiction = new Map<string, string[]>();
      for (const p of prepared) {
        if ('row' in p)
          byJurisdiction.set(p.row.jurisdictionId, [
            ...(byJurisdiction.get(p.row.jurisdictionId) ?? []),
            p.row.externalNo,
          ]);
      }
      const known = new Map<string, string>();
      for (const [jurisdictionId, numbers] of byJurisdiction) {
        for (const [no, id] of await store.existingExternalNos(trx, jurisdictionId, numbers)) {
          known.set(`${jurisdictionId}|${no}`, id);
        }
      }
      const results: BatchItemResult[] = [];
      const created: Prepared[] = [];
      for (const [index, p] of prepared.entries()) {
        if (!('row' in p)) {
          results.push(p);
          continue;
        }
        const key = `${p.row.jurisdictionId}|${p.row.externalNo}`;
        const existingId = known.get(key);
        if (existingId) {
          results.push({
            index,
            status: 'duplicate',
            code: 'duplicate',
            field: 'externalNo',
            message: `The transaction ${p.row.externalNo} is already recorded in this jurisdiction.`,
            existingId,
          });
          continue;
        }
        known.set(key, p.row.id);
        created.push(p);
        results.push({
          index,
          status: 'created',
          transaction: presentTransaction(p.row, p.token, { ...options, qr: false }),
        });
      }
      await store.insertTransactions(
        trx,
        created.map((p) => p.row),
      );
      await adjustActivityMany(
        trx,
        created.map((p) => ({
          scopes: parseScopes(p.row.rollupScopes),
          day: p.row.day,
          delta: { transactions: 1 },
        })),
      );
      return { results, created };
    });
  let outcome;
  try {
    outcome = await attempt();
  } catch (error) {
    // Another request recorded one of these numbers at the same moment: the second pass reports it.
    if (!uniqueViolation(error)) throw error;
    outcome = await attempt();
  }
  if (!options.qr) return outcome.results;
  // QR codes are drawn after the commit, outside the transaction (they cost CPU, not the database).
  return outcome.results.map((r) =>
    r.status === 'created' && r.transaction
      ? { ...r, transaction: { ...r.transaction, qrSvg: qrSvg(r.transaction.ratingLink) } }
      : r,
  );
}

/** Records one transaction; a duplicate or invalid one is refused with its error. */
export async function recordTransaction(
  deps: Deps,
  actor: Actor,
  input: TransactionInput,
  options: LinkOptions,
): Promise<TransactionView> {
  const [result] = await recordTransactions(deps, actor, [input], options);
  if (!result) throw new Error('no result');
  switch (result.status) {
    case 'created':
      return result.transaction;
    case 'duplicate':
      throw new Conflict('duplicate', result.message, { field: 'externalNo', existingId: result.existingId });
    case 'error':
      throw rebuildError(result);
  }
}

function rebuildError(result: Extract<BatchItemResult, { status: 'error' }>): AppError {
  const params: Record<string, string> = result.field ? { field: result.field } : {};
  if (result.code === 'outside_scope') return new Forbidden(result.code, result.message, params);
  return new Invalid(result.code, result.message, params);
}

// --- the rating page ----------------------------------------------------------------------------

const levelViews = (): LevelView[] =>
  LEVELS.map((level) => ({ level, name: LEVEL_NAMES[level].zh, nameEn: LEVEL_NAMES[level].en }));

const dimensionViews = () => DIMENSIONS.map((key) => ({ key, name: DIMENSION_NAMES[key] }));

/** How a rater sees what is being rated: the unit and window, the item, the staff member (never the contact). */
interface TransactionDescription {
  unitCode: string;
  unitName: string;
  windowName: string | null;
  unitPath: string[];
  serviceItemName: string | null;
  staff: string | null;
}

/** A transaction's unit and the units above it as the tree stood on its day (from its stored scopes). */
const transactionChain = (transaction: store.TransactionRow): string[] =>
  parseScopes(transaction.rollupScopes)
    .filter(([type]) => type === 'subtree')
    .map(([, id]) => id);

async function describeTransaction(
  db: Executor,
  transaction: store.TransactionRow,
): Promise<TransactionDescription> {
  const chain = transactionChain(transaction);
  const units = await registryTree.unitsInForceOn(db, chain, transaction.day);
  const unit = units.get(transaction.unitId);
  const served = chain.map((id) => units.get(id)).find((u) => u && u.kind !== 'window');
  const item = transaction.serviceItemId
    ? await registryStore.serviceItemById(db, transaction.serviceItemId)
    : undefined;
  const person = transaction.staffId ? await registryStore.staffById(db, transaction.staffId) : undefined;
  return {
    unitCode: unit?.code ?? '',
    unitName: served?.name ?? unit?.name ?? '',
    windowName: unit?.kind === 'window' ? unit.name : null,
    unitPath: [...chain].reverse().map((id) => units.get(id)?.name ?? ''),
    serviceItemName: item?.name ?? null,
    staff: person ? staffDisplay(person.name, person.staffNo) : null,
  };
}

/** What the rating page shows for a link; unknown links are 404, expired ones say so. */
export async function getRatingPage(deps: Deps, token: string): Promise<RatingPage> {
  const db = deps.database.db;
  const transaction = await store.transactionByTokenHash(db, sha256Hex(token));
  if (!transaction) throw linkNotFound();
  const config = await loadRatingsConfig(db);
  const described = await describeTransaction(db, transaction);
  const rating = transaction.ratingId ? await store.ratingById(db, transaction.ratingId) : undefined;
  const mode = transaction.mode as ServiceMode;
  return {
    ...described,
    mode,
    receivedAt: transaction.receivedAt,
    completedAt: transaction.completedAt,
    levels: levelViews(),
    tags: settingsForUnit(config, transactionChain(transaction)).tags[mode],
    dimensions: dimensionViews(),
    commentMax: 500,
    rated: transaction.ratingId !== null,
    ratedByDefault: rating?.isDefault === 1,
    expired: transaction.tokenExpiresAt <= isoNow(deps.clock),
    expiresAt: transaction.tokenExpiresAt,
  };
}

async function unitInForceByCode(db: Executor, code: string, date: string) {
  // The version in force today, not the latest: a change scheduled for later must not take the poster down.
  const unit = await registryTree.unitInForceByCode(db, code, date);
  if (!unit) throw new NotFound('unit', code);
  return unit;
}

/** The form for rating a unit without a transaction (码上评 poster, web form). */
export async function getRateForm(deps: Deps, code: string): Promise<RateForm> {
  const db = deps.database.db;
  const date = today(deps);
  const unit = await unitInForceByCode(db, code, date);
  const chain = await registryTree.ancestryInForce(db, unit.unitId, date);
  const names = await registryTree.unitsInForceOn(db, chain, date);
  const config = await loadRatingsConfig(db);
  return {
    unit: {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      path: [...chain].reverse().map((id) => names.get(id)?.name ?? ''),
    },
    levels: levelViews(),
    tags: settingsForUnit(config, chain).tags,
    dimensions: dimensionViews(),
    commentMax: 500,
    dailyLimit: config.generalDailyLimit,
  };
}

// --- public submissions --------------------------------------------------------------------------

/** Where a public submission came from, as the route sees it. */
export interface PublicCaller {
  /** A signed-in account or an API token made the call: staff may not rate for the public. */
  signedIn: boolean;
  address: string;
  /** The `minping_device` cookie, when the browser sent a well-formed one. */
  deviceCookie: string | null;
  /** X-Device-Token of a registered window device, when sent. */
  deviceToken: string | null;
}

export interface RatingBody extends RatingContent {
  channel: RatingSource['channel'];
  idempotencyKey: string;
}

interface ResolvedDevice {
  deviceId: string;
  registered: store.DeviceRow | null;
  /** A new cookie to set, when the browser had none. */
  newCookie: string | null;
}

/** Channels only a registered device of the matching kind can send (X-Device-Token). */
const DEVICE_CHANNELS = new Set(['window_device', 'self_service', 'hotline']);

function wrongDeviceKind(): Forbidden {
  return new Forbidden(
    'wrong_device_kind',
    'A hotline system rates transactions through their rating links (POST /api/public/rate/<token>), not at a window or on a unit’s form.',
  );
}

export function staffCannotRate(): Forbidden {
  return new Forbidden(
    'staff_cannot_rate',
    'Staff may not rate services on behalf of the public. Ratings come from the people served, on their own devices.',
  );
}

async function resolveDevice(deps: Deps, caller: PublicCaller): Promise<ResolvedDevice> {
  if (caller.signedIn) throw staffCannotRate();
  if (caller.deviceToken) {
    const device = await store.deviceByTokenHash(deps.database.db, sha256Hex(caller.deviceToken));
    if (!device || device.revokedAt !== null) {
      throw new Unauthorized(
        'bad_device_token',
        'This device is not registered or its registration was revoked. Ask the assessment office to register it.',
      );
    }
    if (channelOfDevice(device.kind as DeviceKind) === null) throw staffCannotRate();
    return { deviceId: device.id, registered: device, newCookie: null };
  }
  if (caller.deviceCookie) return { deviceId: caller.deviceCookie, registered: null, newCookie: null };
  const cookie = newSecret();
  return { deviceId: cookie, registered: null, newCookie: cookie };
}

async function sourceFor(
  deps: Deps,
  device: ResolvedDevice,
  body: RatingBody,
  caller: PublicCaller,
  target: string,
  mode: ServiceMode | null,
): Promise<RatingSource> {
  let channel: RatingSource['channel'] = body.channel;
  if (device.registered) {
    const fixed = channelOfDevice(device.registered.kind as DeviceKind);
    if (fixed && fixed !== 'default') channel = fixed;
  } else if (DEVICE_CHANNELS.has(channel)) {
    throw new Invalid(
      'device_required',
      'Ratings through a window rating device, self-service terminal or hotline system come from a registered device (X-Device-Token).',
      { field: 'channel' },
    );
  }
  const salt = await addressSalt(deps.database.db, deps.database);
  const content = { level: body.level, tags: body.tags, dimensions: body.dimensions, comment: body.comment };
  return {
    channel,
    deviceId: device.deviceId,
    registeredDevice: device.registered !== null,
    addressDigest: addressDigest(salt, caller.address),
    idempotencyKey: body.idempotencyKey,
    requestDigest: sha256Hex(canonicalJson({ target, mode, channel, ...content })),
  };
}

export interface Submitted {
  answer: RatingAnswer;
  /** Set this cookie (minping_device) on the answer: the browser had none. */
  newDeviceCookie: string | null;
}

/** Rates a transaction through its link. Answers once the rating is stored (group commit). */
export async function rateTransaction(
  deps: Deps,
  token: string,
  body: RatingBody,
  caller: PublicCaller,
): Promise<Submitted> {
  const device = await resolveDevice(deps, caller);
  const tokenHash = sha256Hex(token);
  const source = await sourceFor(deps, device, body, caller, `transaction:${tokenHash}`, null);
  const content = { level: body.level, tags: body.tags, dimensions: body.dimensions, comment: body.comment };
  const answer = await ingestQueue(deps).submit({ kind: 'transaction', tokenHash, content, source });
  return { answer, newDeviceCookie: device.newCookie };
}

export const GENERAL_CHANNELS = new Set(['qr_code', 'web']);

/** Rates a unit without a transaction (poster, web form, or a window device). */
export async function rateUnit(
  deps: Deps,
  code: string,
  body: RatingBody & { mode?: ServiceMode | undefined },
  caller: PublicCaller,
): Promise<Submitted> {
  const device = await resolveDevice(deps, caller);
  const db = deps.database.db;
  const date = today(deps);
  const unit = await unitInForceByCode(db, code, date);
  if (device.registered?.kind === 'hotline') throw wrongDeviceKind();
  if (device.registered) {
    // A window's device rates its own window (or, at a hall, the units under it).
    if (!(await registryTree.ancestryInForce(db, unit.unitId, date)).includes(device.registered.unitId)) {
      throw new Forbidden('device_other_unit', 'This device is registered for another unit.', {
        field: 'code',
      });
    }
  } else if (!GENERAL_CHANNELS.has(body.channel) && !DEVICE_CHANNELS.has(body.channel)) {
    throw new Invalid(
      'channel_not_allowed',
      'A unit is rated here through its QR code (qr_code) or the web form (web).',
      {
        field: 'channel',
      },
    );
  }
  const mode = body.mode ?? 'offline';
  const source = await sourceFor(deps, device, body, caller, `unit:${unit.unitId}`, mode);
  const content = { level: body.level, tags: body.tags, dimensions: body.dimensions, comment: body.comment };
  const answer = await ingestQueue(deps).submit({ kind: 'unit', unitId: unit.unitId, mode, content, source });
  return { answer, newDeviceCookie: device.newCookie };
}

// --- the window pad: rating the transaction just handled (一次一评 at the counter) -----------------

function deviceRequired(): Unauthorized {
  return new Unauthorized(
    'device_required',
    'This is for a registered window rating device or self-service terminal: send its token as X-Device-Token.',
  );
}

/** The registered pad or terminal calling (staff devices, revoked tokens and signed-in callers are refused). */
async function kioskDevice(
  deps: Deps,
  caller: PublicCaller,
): Promise<ResolvedDevice & { registered: store.DeviceRow }> {
  if (!caller.deviceToken && !caller.signedIn) throw deviceRequired();
  const device = await resolveDevice(deps, caller);
  if (!device.registered) throw deviceRequired();
  if (device.registered.kind === 'hotline') throw wrongDeviceKind();
  return { ...device, registered: device.registered };
}

function kioskError(refusal: KioskRefusal, windowMinutes: number): AppError {
  switch (refusal) {
    case 'device_other_unit':
      return new Forbidden(
        'device_other_unit',
        'This transaction was handled at another window; it can be rated only at that window or through its link.',
        { field: 'id' },
      );
    case 'not_at_window':
      return new Forbidden(
        'not_at_window',
        'This transaction was handled online; it is rated through its link, not at a window.',
        { field: 'id' },
      );
    case 'no_longer_waiting':
      return new AppError(
        410,
        'no_longer_waiting',
        `This transaction was recorded more than ${windowMinutes + KIOSK_GRACE_MINUTES} minutes ago; the window's pad no longer offers it. It can still be rated through its link.`,
        { field: 'id', minutes: windowMinutes + KIOSK_GRACE_MINUTES },
      );
  }
}

/** A transaction as a kiosk shows it for rating: what was handled, where, by whom and when; never the contact. */
async function kioskView(
  db: Executor,
  transaction: store.TransactionRow,
  config: RatingsSettings,
): Promise<KioskTransactionView> {
  const described = await describeTransaction(db, transaction);
  return {
    id: transaction.id,
    unitName: described.unitName,
    windowName: described.windowName,
    serviceItemName: described.serviceItemName,
    staff: described.staff,
    mode: 'offline',
    receivedAt: transaction.receivedAt,
    completedAt: transaction.completedAt,
    recordedAt: transaction.createdAt,
    levels: levelViews(),
    tags: settingsForUnit(config, transactionChain(transaction)).tags.offline,
    dimensions: dimensionViews(),
    commentMax: 500,
  };
}

/**
 * The transaction waiting for a rating at the calling pad's window: its unit's latest offline
 * transaction recorded within `kioskWindowMinutes` and not yet rated (see model.kioskLookback). A device
 * in a hall is offered none: whoever walks up to it finds their own transaction by its number.
 */
export async function kioskWaiting(deps: Deps, caller: PublicCaller): Promise<KioskWaiting> {
  const device = await kioskDevice(deps, caller);
  const db = deps.database.db;
  const config = await loadRatingsConfig(db);
  const windowMinutes = config.kioskWindowMinutes;
  if (await registryTree.hasChildrenOn(db, device.registered.unitId, today(deps))) {
    return { waiting: null, windowMinutes, byNumber: true };
  }
  const { since, fromDay } = kioskLookback(deps.clock.now(), windowMinutes);
  const transaction = await store.waitingTransaction(db, device.registered.unitId, since, fromDay);
  return {
    waiting: transaction ? await kioskView(db, transaction, config) : null,
    windowMinutes,
    byNumber: false,
  };
}

/**
 * Rates a transaction at its window's pad: the same content, checks, one-rating rule and idempotency
 * as through its link, through the same ingest queue; the channel and device are the pad's. Only a
 * transaction of the pad's own unit, handled offline, while it is waiting (plus the grace to finish).
 */
export async function rateAtKiosk(
  deps: Deps,
  transactionId: string,
  body: RatingBody,
  caller: PublicCaller,
): Promise<Submitted> {
  const device = await kioskDevice(deps, caller);
  const db = deps.database.db;
  const transaction = await store.transactionById(db, transactionId);
  if (!transaction) throw new NotFound('transaction', transactionId);
  const config = await loadRatingsConfig(db);
  const refusal = kioskRefusal(
    transaction,
    device.registered.unitId,
    deps.clock.now(),
    config.kioskWindowMinutes,
  );
  if (refusal) throw kioskError(refusal, config.kioskWindowMinutes);
  const tokenHash = transaction.tokenHash;
  const source = await sourceFor(deps, device, body, caller, `transaction:${tokenHash}`, null);
  const content = { level: body.level, tags: body.tags, dimensions: body.dimensions, comment: body.comment };
  const answer = await ingestQueue(deps).submit({ kind: 'transaction', tokenHash, content, source });
  return { answer, newDeviceCookie: null };
}

// --- the hall terminal: rating a transaction found by its number (办件编号) -------------------------

/** What the person at a hall terminal types: the number on their receipt and, if they gave one, their phone's last four digits. */
export interface NumberLookup {
  externalNo: string;
  phoneDigits: string;
}

/** The registered device calling, when it stands in a hall (its unit has units under it today). */
async function hallDevice(
  deps: Deps,
  caller: PublicCaller,
): Promise<ResolvedDevice & { registered: store.DeviceRow }> {
  const device = await kioskDevice(deps, caller);
  if (!(await registryTree.hasChildrenOn(deps.database.db, device.registered.unitId, today(deps)))) {
    throw new Forbidden(
      'hall_device_only',
      'Finding a transaction by its number is offered at a terminal in a service hall; this device serves a single window.',
    );
  }
  return device;
}

function lookupLimit(until: string, now: Date): TooManyRequests {
  const seconds = Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new TooManyRequests(
    'lookup_limit',
    `Too many numbers that did not match were tried on this terminal. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or rate through the QR code on your receipt.`,
    {
      limit: KIOSK_LOOKUP_LIMIT,
      windowMinutes: KIOSK_LOOKUP_WINDOW_MINUTES,
      retryAfterSeconds: seconds,
      retryAfterMinutes: minutes,
      until,
    },
  );
}

/** The start of the lookup limit's window at `now` (ISO). */
const lookupWindowStart = (now: Date) =>
  new Date(now.getTime() - KIOSK_LOOKUP_WINDOW_MINUTES * 60_000).toISOString();

/** Refuses a device that failed too many lookups within the window (counted in the database, for every node). */
async function assertMayLookUp(deps: Deps, deviceId: string): Promise<void> {
  const now = deps.clock.now();
  const failures = await store.lookupFailuresSince(deps.database.db, deviceId, lookupWindowStart(now));
  const until = lookupBlockedUntil(failures, now);
  if (until) throw lookupLimit(until, now);
}

/** Counts a failed lookup, durably, before the refusal goes out. */
async function recordLookupFailure(deps: Deps, deviceId: string): Promise<void> {
  const now = deps.clock.now();
  await store.recordLookupFailure(
    deps.database.db,
    { id: newId(), deviceId, at: now.toISOString() },
    lookupWindowStart(now),
  );
}

function hallError(refusal: HallRefusal, transaction: store.TransactionRow | undefined): AppError {
  switch (refusal) {
    case 'transaction_not_found':
      return new AppError(
        404,
        'transaction_not_found',
        'No transaction with this number can be rated here. Check the number on your receipt and, if you gave a phone number, its last four digits.',
        { field: 'externalNo' },
      );
    case 'not_at_window':
      return new Forbidden(
        'not_at_window',
        'This transaction was handled online; it is rated through its link, not at a terminal in the hall.',
        { field: 'externalNo' },
      );
    case 'already_rated':
      return alreadyRated();
    case 'transaction_expired':
      return new AppError(
        410,
        'transaction_expired',
        'The time to rate this transaction is over; it can no longer be rated.',
        { field: 'externalNo', expiresAt: transaction?.tokenExpiresAt ?? null },
      );
  }
}

/**
 * The transaction a hall terminal may rate for the number (and phone digits) typed: recorded under the
 * number in the device's jurisdiction, at a unit of the device unit's subtree as the tree stands today,
 * offline, not rated, its link not expired. A miss counts against the device's limit.
 */
async function findByNumber(
  deps: Deps,
  device: store.DeviceRow,
  lookup: NumberLookup,
  idempotencyKey: string | null,
): Promise<store.TransactionRow> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const date = today(deps);
  const numbers = externalNoCandidates(lookup.externalNo);
  const deviceChain = await registryTree.ancestryInForce(db, device.unitId, date);
  const jurisdictionId = deviceChain[deviceChain.length - 1];
  const rows = jurisdictionId ? await store.transactionsByExternalNos(db, jurisdictionId, numbers) : [];
  // The number as typed first, then in capitals.
  rows.sort((a, b) => numbers.indexOf(a.externalNo) - numbers.indexOf(b.externalNo));
  let refusal: HallRefusal = 'transaction_not_found';
  let refused: store.TransactionRow | undefined;
  for (const row of rows) {
    const rating = row.ratingId ? await store.ratingById(db, row.ratingId) : undefined;
    const verdict = hallRefusal(
      {
        ancestry: await registryTree.ancestryInForce(db, row.unitId, date),
        mode: row.mode,
        contactPhone: row.contactPhone,
        tokenExpiresAt: row.tokenExpiresAt,
        rating: rating ? { isDefault: rating.isDefault === 1, idempotencyKey: rating.idempotencyKey } : null,
      },
      device.unitId,
      lookup.phoneDigits,
      now,
      idempotencyKey,
    );
    if (verdict === null) return row;
    if (verdict !== 'transaction_not_found') {
      refusal = verdict;
      refused = row;
      break;
    }
  }
  if (refusal === 'transaction_not_found') await recordLookupFailure(deps, device.id);
  throw hallError(refusal, refused);
}

/**
 * At a terminal in a hall: the person's transaction, found by its number and phone digits, for the
 * rating form (service item, window, staff as on the rating page, time; never the person's name or phone).
 */
export async function kioskByNumber(
  deps: Deps,
  lookup: NumberLookup,
  caller: PublicCaller,
): Promise<KioskFound> {
  const device = await hallDevice(deps, caller);
  await assertMayLookUp(deps, device.registered.id);
  const transaction = await findByNumber(deps, device.registered, lookup, null);
  const db = deps.database.db;
  return {
    externalNo: transaction.externalNo,
    transaction: await kioskView(db, transaction, await loadRatingsConfig(db)),
  };
}

/**
 * Rates, at a terminal in a hall, the transaction found by its number: found again as kioskByNumber
 * finds it (the number is what entitles the person, not an id), then through the same ingest as at a
 * window's pad — same checks, one rating per transaction, idempotent, the device's channel.
 */
export async function rateAtKioskByNumber(
  deps: Deps,
  lookup: NumberLookup,
  body: RatingBody,
  caller: PublicCaller,
): Promise<Submitted> {
  const device = await hallDevice(deps, caller);
  await assertMayLookUp(deps, device.registered.id);
  const transaction = await findByNumber(deps, device.registered, lookup, body.idempotencyKey);
  const tokenHash = transaction.tokenHash;
  const source = await sourceFor(deps, device, body, caller, `transaction:${tokenHash}`, null);
  const content = { level: body.level, tags: body.tags, dimensions: body.dimensions, comment: body.comment };
  const answer = await ingestQueue(deps).submit({ kind: 'transaction', tokenHash, content, source });
  return { answer, newDeviceCookie: null };
}

/** A new long-lived device id for a browser's `minping_device` cookie. */
export function newDeviceId(): string {
  return newSecret();
}

/** The unit a poster is printed for (registry:read within the caller's subtree). */
export async function posterUnit(
  deps: Deps,
  actor: Actor,
  unitId: string,
  date: string,
): Promise<{ code: string; name: string; path: string }> {
  require(actor, 'registry:read');
  const db = deps.database.db;
  const latest = await registryStore.latestVersionOf(db, unitId);
  if (!latest) throw new NotFound('unit', unitId);
  const chain = await registryTree.ancestryInForce(db, unitId, date);
  if (chain.length === 0) {
    throw new Conflict('unit_inactive', 'This unit is not in force today; no poster can be printed for it.');
  }
  assertAncestryInScope(actor, unitId, chain);
  const names = await registryTree.unitsInForceOn(db, chain.slice(1, 3), date);
  const path = chain
    .slice(1, 3)
    .reverse()
    .map((id) => names.get(id)?.name ?? '')
    .filter((n) => n !== '')
    .join(' · ');
  return { code: latest.code, name: latest.name, path };
}

// --- devices -------------------------------------------------------------------------------------

const presentDevice = (row: store.DeviceRow): DeviceView => ({
  id: row.id,
  unitId: row.unitId,
  kind: row.kind as DeviceKind,
  name: row.name,
  createdAt: row.createdAt,
  revokedAt: row.revokedAt,
});

/** Registers a device at a unit; the token is returned once and only its digest is kept. */
export async function createDevice(
  deps: Deps,
  actor: Actor,
  input: { unitId: string; kind: DeviceKind; name: string },
): Promise<{ device: DeviceView; token: string }> {
  require(actor, 'settings:write');
  const date = today(deps);
  return inTransaction(deps, actor, async (trx, audit) => {
    const chain = await registryTree.ancestryInForce(trx, input.unitId, date);
    if (chain.length === 0) {
      throw new Invalid('unit_not_in_force', 'The unit does not exist or is not in force today.', {
        field: 'unitId',
      });
    }
    assertAncestryInScope(actor, input.unitId, chain);
    const token = `mpd_${newSecret()}`;
    const row: store.DeviceRow = {
      id: newId(),
      unitId: input.unitId,
      kind: input.kind,
      name: input.name.trim(),
      tokenHash: sha256Hex(token),
      createdAt: isoNow(deps.clock),
      revokedAt: null,
    };
    await store.insertDevice(trx, row);
    const device = presentDevice(row);
    await audit({
      action: 'device.registered',
      entityType: 'device',
      entityId: row.id,
      before: null,
      after: device,
    });
    return { device, token };
  });
}

export async function listDevices(deps: Deps, actor: Actor, unitId?: string): Promise<DeviceView[]> {
  require(actor, 'settings:write');
  const db = deps.database.db;
  const scope = unitId ?? unitScopeOf(actor);
  if (unitId) await assertUnitInScope(db, actor, unitId, today(deps));
  const ids = scope ? [...(await registryTree.treeOn(db, today(deps))).subtree(scope)] : undefined;
  return (await store.listDevices(db, ids)).map(presentDevice);
}

export async function revokeDevice(deps: Deps, actor: Actor, id: string): Promise<DeviceView> {
  require(actor, 'settings:write');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.deviceById(trx, id);
    if (!row) throw new NotFound('device', id);
    await assertUnitInScope(trx, actor, row.unitId, today(deps));
    if (row.revokedAt !== null)
      throw new Conflict('already_revoked', `This device was revoked on ${row.revokedAt}.`);
    const at = isoNow(deps.clock);
    await store.revokeDevice(trx, id, at);
    const before = presentDevice(row);
    const after = { ...before, revokedAt: at };
    await audit({ action: 'device.revoked', entityType: 'device', entityId: id, before, after });
    return after;
  });
}

// --- the review queue ----------------------------------------------------------------------------

/**
 * A short opaque label of the device a rating came from: the same device gets the same label, so the
 * office sees ratings from one device together, but the label is not the device's cookie (which is a
 * credential of the rater's browser) nor anything that leads back to it.
 */
export function deviceLabel(deviceId: string): string {
  return sha256Hex(`device-label:${deviceId}`).slice(0, 10);
}

function presentHeld(
  row: store.RatingRow & { externalNo?: string | null },
  unitName: string,
): HeldRatingView {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName,
    transactionId: row.transactionId,
    externalNo: row.externalNo ?? null,
    mode: row.mode as ServiceMode,
    level: row.level as Level,
    levelName: LEVEL_NAMES[row.level as Level].zh,
    tags: JSON.parse(row.tags) as string[],
    dimensions: JSON.parse(row.dimensions) as Record<string, number>,
    comment: maskPersonalData(row.comment),
    channel: row.channel,
    device: deviceLabel(row.deviceId),
    address: row.addressDigest.slice(0, 12),
    flags: JSON.parse(row.flags) as FraudFlag[],
    status: row.status,
    createdAt: row.createdAt,
  };
}

/** Ratings held by a fraud check, newest first; `before` pages on (a rating id). */
export async function listHeld(
  deps: Deps,
  actor: Actor,
  query: { unitId?: string | undefined; before?: string | undefined; limit?: number | undefined },
): Promise<HeldRatingView[]> {
  require(actor, 'ratings:review');
  const db = deps.database.db;
  const date = today(deps);
  const root = query.unitId ?? unitScopeOf(actor);
  if (query.unitId) await assertUnitInScope(db, actor, query.unitId, date);
  const tree = await registryTree.treeOn(db, date);
  const ids = root ? [...tree.subtree(root)] : undefined;
  const rows = await store.heldRatings(db, { unitIds: ids, before: query.before, limit: query.limit ?? 50 });
  return rows.map((r) => presentHeld(r, tree.name(r.unitId) ?? ''));
}

/** The office's decision on a held rating: count it (statistics, and a case when bad) or exclude it. */
export async function reviewRating(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { decision: 'count' | 'exclude'; note: string },
): Promise<HeldRatingView> {
  require(actor, 'ratings:review');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.ratingById(trx, id);
    if (!row) throw new NotFound('rating', id);
    await assertUnitInScope(trx, actor, row.unitId, today(deps));
    if (row.status !== 'held') {
      throw new Conflict('not_held', `This rating is ${row.status}, not held for review.`, {
        status: row.status,
      });
    }
    const status = input.decision === 'count' ? 'counted' : 'excluded';
    const changes = {
      status,
      reviewedBy: actor.kind === 'system' ? null : actor.id,
      reviewedAt: isoNow(deps.clock),
      reviewNote: input.note.trim(),
    };
    if (!(await store.updateRatingIfStatus(trx, id, 'held', changes)))
      throw new Conflict('not_held', 'This rating was reviewed a moment ago.');
    const updated = { ...row, ...changes };
    if (status === 'counted') {
      const transaction = row.transactionId ? await store.transactionById(trx, row.transactionId) : undefined;
      await countRatings(trx, deps, [{ row: updated, transactionDay: transaction?.day ?? null }]);
    }
    await audit({
      action: input.decision === 'count' ? 'rating.counted' : 'rating.excluded',
      entityType: 'rating',
      entityId: id,
      before: { status: row.status, flags: JSON.parse(row.flags) as unknown },
      after: { status, note: changes.reviewNote },
    });
    const names = await registryTree.unitsInForceOn(trx, [row.unitId], today(deps));
    return presentHeld(updated, names.get(row.unitId)?.name ?? '');
  });
}

// --- settings ------------------------------------------------------------------------------------

async function presentSettings(db: Executor, settings: RatingsSettings): Promise<RatingsSettingsView> {
  const names = await registryStore.latestUnitNames(db, Object.keys(settings.byUnit));
  return {
    ...settings,
    byUnit: Object.entries(settings.byUnit)
      .map(([unitId, override]) => ({ unitId, unitName: names.get(unitId) ?? '', ...override }))
      .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')),
  };
}

export async function getRatingsSettings(deps: Deps, actor: Actor): Promise<RatingsSettingsView> {
  if (!hasPermission(actor, 'ratings:read') && !hasPermission(actor, 'settings:write')) throw new Forbidden();
  const db = deps.database.db;
  return presentSettings(db, await loadRatingsConfig(db));
}

/** One override as sent, as stored; throws its first problem under `field` (byUnit.<index>). */
function overrideFrom(entry: UnitOverrideInput, field: string): UnitRatingsOverride {
  const override: UnitRatingsOverride = {};
  if (entry.tags?.offline) override.tags = { ...override.tags, offline: entry.tags.offline };
  if (entry.tags?.online) override.tags = { ...override.tags, online: entry.tags.online };
  if (entry.openingHours) override.openingHours = entry.openingHours;
  const problem = overrideProblems(override, field)[0];
  if (problem) throw new Invalid(problem.code, problem.message, { field: problem.field });
  return override;
}

/**
 * Changes the rating settings (the office only; audited). Options and opening hours may be set per
 * jurisdiction or any unit (`byUnit`); the rest is installation-wide.
 */
export async function putRatingsSettings(
  deps: Deps,
  actor: Actor,
  input: RatingsConfigInput,
): Promise<RatingsSettingsView> {
  require(actor, 'settings:write');
  if (unitScopeOf(actor) !== null) {
    throw new Forbidden('office_only', 'Only the assessment office may change the rating settings.');
  }
  const current = await loadRatingsConfig(deps.database.db);
  const config: RatingsConfig = {
    defaultAfterDays: input.defaultAfterDays,
    defaultLevel: input.defaultLevel,
    goodFrom: input.goodFrom,
    linkValidDays: input.linkValidDays,
    tags: input.tags,
    fraud: input.fraud,
    openingHours: input.openingHours,
    generalDailyLimit: input.generalDailyLimit,
    kioskWindowMinutes: input.kioskWindowMinutes ?? current.kioskWindowMinutes,
  };
  const problem = configProblems(config)[0];
  if (problem) throw new Invalid(problem.code, problem.message, { field: problem.field });
  const byUnit = input.byUnit === undefined ? null : overridesByUnit(input.byUnit, overrideFrom);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await loadRatingsConfig(trx);
    const after: RatingsSettings = { ...config, byUnit: byUnit ?? before.byUnit };
    if (byUnit) await assertOverrideUnitsExist(trx, byUnit);
    await putSetting(trx, CONFIG_KEY, JSON.stringify(after));
    await audit({
      action: 'settings.ratings_changed',
      entityType: 'settings',
      entityId: CONFIG_KEY,
      before,
      after,
    });
    return presentSettings(trx, await loadRatingsConfig(trx));
  });
}

// --- removal (called by the case service on an upheld appeal) ------------------------------------

/**
 * Takes a rating out of every statistic (an appeal found it malicious, or the office removed it): its
 * status becomes `removed`, its counts are subtracted from the rating rollups under the scopes it was
 * counted under at ingest, and when it was an active rating of a transaction, that transaction counts
 * as unrated again (−1 actively rated on the transaction's day). Runs inside the caller's transaction;
 * the caller records the audit entry. Removing a removed rating does nothing; a held or excluded rating
 * was never counted, so only its status changes.
 */
export async function removeRating(
  trx: Transaction<DB>,
  deps: Deps,
  ratingId: string,
  reason: string,
): Promise<void> {
  const rating = await store.ratingById(trx, ratingId);
  if (!rating) throw new NotFound('rating', ratingId);
  if (rating.status === 'removed') return;
  const wasCounted = rating.status === 'counted';
  // Conditional on the status read above, so that two removals racing each other subtract only once.
  const changed = await store.updateRatingIfStatus(trx, ratingId, rating.status, {
    status: 'removed',
    removedAt: isoNow(deps.clock),
    removedReason: reason,
  });
  if (!changed || !wasCounted) return;
  const scopes = parseScopes(rating.rollupScopes);
  const key = { channel: rating.channel, level: rating.level, isDefault: rating.isDefault === 1 };
  await adjustRatingCounts(
    trx,
    scopes.map((scope) => ({ scope, day: rating.day, key, n: -1 })),
  );
  if (rating.transactionId && rating.isDefault === 0) {
    const transaction = await store.transactionById(trx, rating.transactionId);
    if (transaction) await adjustActivity(trx, scopes, transaction.day, { activelyRated: -1 });
  }
}
