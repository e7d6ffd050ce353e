import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../src/core/error-codes';
import publicEn from '../public/locales/en';
import publicZh from '../public/locales/zh-CN';
import consoleEn from './en';
import consoleZh from './zh-CN';

/* The console and the public pages translate error codes from the catalogue (src/core/error-codes.ts). */

describe('error messages in the console and on the public pages', () => {
  it('are the catalogue’s in the console, in Chinese and in English', () => {
    for (const [code, [, zh, en]] of Object.entries(ERROR_CATALOGUE)) {
      expect(consoleZh.errors[code as ErrorCode]).toBe(zh);
      expect(consoleEn.errors[code as ErrorCode]).toBe(en);
    }
  });

  it('leave no code untranslated on the public pages (which may word one for citizens)', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      expect(publicZh.errors[code]).toMatch(/[\u4e00-\u9fff]/);
      expect(publicEn.errors[code]).not.toBe('');
    }
    expect(publicZh.errors.comment_too_long).toBe('留言最多 {{max}} 个字。');
  });
});
