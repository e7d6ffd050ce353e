import type { App } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api';

/**
 * A registry change dated inside periods whose results are published is refused by the server with
 * published_results_affected (nothing is stored). This asks the office, naming the results, whether to
 * save it anyway; true when they confirm, false when they cancel or the error is another one.
 */
type Modal = ReturnType<typeof App.useApp>['modal'];

export function confirmPublishedResults(modal: Modal, t: TFunction, error: unknown): Promise<boolean> {
  if (!(error instanceof ApiError) || error.code !== 'published_results_affected')
    return Promise.resolve(false);
  const p = error.params;
  return new Promise((resolve) => {
    void modal.confirm({
      title: t('units.publishedTitle', { count: Number(p.count ?? 0) }),
      content: t('units.publishedText', {
        from: String(p.from ?? ''),
        count: Number(p.count ?? 0),
        periods: String(p.periods ?? ''),
        after: String(p.after ?? ''),
      }),
      okText: t('units.publishedConfirm'),
      okButtonProps: { danger: true },
      cancelText: t('units.publishedCancel'),
      width: 520,
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    });
  });
}
