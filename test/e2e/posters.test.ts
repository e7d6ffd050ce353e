import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { qrMatrix } from '../../src/ratings/qr.js';
import { pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

const TIMEOUT = 90_000;

interface PrintedWindow {
  printed: number;
}

/**
 * Reads the QR code off a poster image as the page shows it: draws the image on a canvas, finds the
 * top edge of the top-left finder square (the first solid dark run of a QR's width, below the header
 * band and the title's strokes), and samples the centre of every module. Dark modules are true.
 */
async function qrOnPoster(page: Page, alt: string, size: number): Promise<boolean[][]> {
  return page.getByAltText(alt, { exact: true }).evaluate((element, size) => {
    const img = element as HTMLImageElement;
    if (!img.complete || img.naturalWidth === 0) throw new Error('the poster did not load');
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.drawImage(img, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const dark = (x: number, y: number) => (data[(Math.round(y) * width + Math.round(x)) * 4] ?? 255) < 128;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!dark(x, y)) continue;
        let end = x;
        while (end < width && dark(end, y)) end++;
        const run = end - x;
        // A finder square is 7 modules wide; the header band spans the page, text strokes are short.
        if (run >= 100 && run <= 400) {
          const module = run / 7;
          return Array.from({ length: size }, (_, my) =>
            Array.from({ length: size }, (_, mx) => dark(x + (mx + 0.5) * module, y + (my + 0.5) * module)),
          );
        }
        x = end;
      }
    }
    throw new Error('no QR code found on the poster');
  }, size);
}

describe('码上评 posters, printed by the office', () => {
  const e2e = useBrowserSuite('posters');

  it(
    'the office opens the posters of a section: one per unit, each with its name and a QR code of its rating address, one A4 page each when printed',
    async () => {
      const { relief, reliefWindow } = e2e.server.fixture;
      const page = await e2e.open();
      await page.addInitScript(() => {
        // The print dialog is the browser's; the test only needs to know the button asked for it.
        const w = window as unknown as PrintedWindow & Window;
        w.printed = 0;
        w.print = () => {
          w.printed += 1;
        };
      });
      await signIn(page, 'office');
      await page.getByRole('menu').getByText('设备与海报').click();
      await page.getByRole('tab', { name: '码上评海报' }).click();
      await pickTreeOption(page, page.locator('#poster-unit'), '救助股', relief.name);
      await page.getByRole('button', { name: '打印本单位及其窗口的海报' }).click();
      await expect.poll(() => page.url()).toContain(`/devices/posters/${relief.id}`);

      await page.getByRole('heading', { name: `${relief.name} 的码上评海报` }).waitFor();
      await page.getByText('共 2 张：本单位及其下属全部窗口。打印时每张占一页。').waitFor();
      const posters = page.locator('figure.mp-poster');
      await expect.poll(() => posters.count()).toBe(2);
      // The section's own poster first, then its window's; each captioned with name and code.
      expect((await posters.locator('figcaption').allInnerTexts()).map((t) => t.trim())).toEqual([
        `${relief.name} · ${relief.code}`,
        `${reliefWindow.name} · ${reliefWindow.code}`,
      ]);
      const images = posters.locator('img');
      expect(await images.evaluateAll((list) => list.map((i) => (i as HTMLImageElement).alt))).toEqual([
        `${relief.name} 的码上评海报`,
        `${reliefWindow.name} 的码上评海报`,
      ]);
      await expect
        .poll(() => images.evaluateAll((list) => list.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
        .toBe(true);
      // A5 portrait at 200 dpi: the poster image, not a placeholder or a broken-image icon.
      expect(
        await images.evaluateAll((list) =>
          list.map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]),
        ),
      ).toEqual([
        [1181, 1654],
        [1181, 1654],
      ]);
      // Each QR code opens its own unit's rating page: the module pattern is the one of <public URL>/q/<code>.
      const { publicUrl } = loadConfig();
      for (const unit of [relief, reliefWindow]) {
        const expected = qrMatrix(`${publicUrl}/q/${unit.code}`);
        const read = await qrOnPoster(page, `${unit.name} 的码上评海报`, expected.size);
        const want = Array.from({ length: expected.size }, (_, y) =>
          Array.from({ length: expected.size }, (_, x) => expected.dark(x, y)),
        );
        expect(read, unit.name).toEqual(want);
      }
      await screenshot(page, 'posters-01-screen');

      await page.getByRole('button', { name: '打印' }).click();
      await expect.poll(() => page.evaluate(() => (window as unknown as PrintedWindow).printed)).toBe(1);

      // As printed: no menu, header, title, buttons or hint; only the posters, 170 mm wide, one a page.
      await page.emulateMedia({ media: 'print' });
      for (const chrome of ['.ant-layout-sider', '.mp-header', '.mp-no-print']) {
        await expect.poll(() => page.locator(chrome).first().isVisible(), { message: chrome }).toBe(false);
      }
      expect(await page.getByRole('button').filter({ visible: true }).count()).toBe(0);
      expect(await page.getByRole('menu').filter({ visible: true }).count()).toBe(0);
      expect(await posters.locator('figcaption').filter({ visible: true }).count()).toBe(0);
      expect(await images.filter({ visible: true }).count()).toBe(2);
      const widths = await images.evaluateAll((list) => list.map((i) => i.getBoundingClientRect().width));
      // 170 mm at CSS's 96 px an inch.
      expect(widths.map((w) => Math.round((w / 96) * 25.4))).toEqual([170, 170]);
      await screenshot(page, 'posters-02-print');

      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
      expect(pages).toHaveLength(2);
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('button', { name: '返回' }).click();
      await page.getByRole('tab', { name: '码上评海报' }).waitFor();
      expect(e2e.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
