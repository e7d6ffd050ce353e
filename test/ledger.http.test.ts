import { beforeAll, expect, it } from 'vitest';
import { createItem } from '../src/ledger/items.js';
import { MAX_EVIDENCE_BYTES } from '../src/ledger/model.js';
import { describeEachApp, expectError, expectUnchanged, signInFresh, snapshot } from './support/checks.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';
import { binaryUpload } from './support/routes-ledger.js';

/*
 * Evidence through HTTP: what an upload may be (type sniffed from the bytes, size limit), how a stored file
 * is served (photos inline, PDFs as downloads, never sniffable into script), and that a refused upload
 * stores nothing.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const PDF = Buffer.from('%PDF-1.4\n%minping\n');

describeEachApp('ledger evidence over HTTP', (t) => {
  let tree: SmallTree;
  let staff: Client;
  let itemId: string;

  beforeAll(async () => {
    const { app, deps } = t();
    tree = await makeTree(deps);
    const account = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    staff = await signInFresh(app, account.username);
    itemId = (
      await createItem(deps, SYSTEM, {
        origin: 'manual',
        unitId: tree.sectionA1.id,
        title: '窗口无人',
        deadlineOn: '2030-01-31',
      })
    ).id;
  });

  const upload = (filename: string, bytes: Buffer) =>
    staff.request({
      method: 'POST',
      url: `/api/ledger/items/${itemId}/evidence`,
      ...binaryUpload(filename, bytes),
    });

  it('stores a photo and serves it inline, typed from its bytes, with nosniff and a sandbox', async () => {
    const res = await upload('现场.png', JPEG);
    expect(res.statusCode).toBe(201);
    const [a] = res.json<{ sha256: string; mime: string; inline: boolean; url: string }[]>();
    expect(a).toMatchObject({ mime: 'image/jpeg', inline: true });
    const file = await staff.get(a?.url ?? '');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['content-disposition']).toBe('inline');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(String(file.headers['content-security-policy'])).toContain('sandbox');
    expect(file.rawPayload.equals(JPEG)).toBe(true);
  });

  it('sends a PDF as a download, never inline', async () => {
    const res = await upload('整改报告.pdf', PDF);
    const pdf = res
      .json<{ sha256: string; mime: string; url: string }[]>()
      .find((x) => x.mime === 'application/pdf');
    const file = await staff.get(pdf?.url ?? '');
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('refuses a script named .jpg, HTML, an oversized photo, and stores nothing', async () => {
    const { deps } = t();
    const before = await snapshot(deps);
    expectError(
      await upload('photo.jpg', Buffer.from('<script>alert(1)</script>')),
      400,
      'file_type_not_allowed',
    );
    expectError(
      await upload('page.html', Buffer.from('<!doctype html><html>')),
      400,
      'file_type_not_allowed',
    );
    const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 10);
    JPEG.copy(big);
    expectError(await upload('big.jpg', big), 400, 'file_too_large');
    await expectUnchanged(deps, before);
  });

  it('answers 404 for a file nobody stored', async () => {
    expectError(await staff.get(`/api/ledger/files/${'0'.repeat(64)}`), 404, 'not_found');
  });
});
