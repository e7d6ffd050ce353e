/*
 * Publication warnings in the console: each condition that would make a result misleading, in words,
 * and the dialog that asks the clerk to confirm a step (compute, a review stage, final approval, publish)
 * naming every warning that applies. The server refuses the step unless the dialog's codes come with it.
 */
import { ExclamationCircleFilled } from '@ant-design/icons';
import { App, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunWarning, RunWarningCode } from './api';

type ModalApi = ReturnType<typeof App.useApp>['modal'];

/** One warning in the clerk's words (the code's translation with its figures and names). */
export function warningText(t: TFunction, w: RunWarning): string {
  const params: Record<string, string | number> = { ...w.params };
  if (typeof w.params.missingRule === 'string') {
    params.missingRule = t(`scoring.warnings.missingRule.${w.params.missingRule}`);
  }
  if (typeof w.params.list === 'string') params.list = t(`scoring.warnings.list.${w.params.list}`);
  return t(`scoring.warnings.${w.code}`, params);
}

/** The warnings as a list, each a sentence. */
export function WarningList({ warnings }: { warnings: readonly RunWarning[] }) {
  const { t } = useTranslation();
  return (
    <ul className="mp-sc-warnings" data-testid="run-warnings">
      {warnings.map((w, i) => (
        <li key={`${w.code}-${i}`} data-code={w.code}>
          {warningText(t, w)}
        </li>
      ))}
    </ul>
  );
}

/** The distinct codes of some warnings, to send as acceptWarnings. */
export const warningCodes = (warnings: readonly RunWarning[]): RunWarningCode[] => [
  ...new Set(warnings.map((w) => w.code)),
];

/**
 * Asks the clerk to confirm a step: its title and what it does, then every warning that applies (the
 * OK button then says that the clerk goes ahead despite them). Resolves true on OK.
 */
export function confirmStep(
  modal: ModalApi,
  t: TFunction,
  options: {
    title: string;
    text?: ReactNode;
    warnings: readonly RunWarning[];
    okText: string;
    danger?: boolean;
  },
): Promise<boolean> {
  const { warnings } = options;
  return new Promise((resolve) => {
    modal.confirm({
      title: options.title,
      icon: <ExclamationCircleFilled />,
      width: warnings.length > 0 ? 560 : 416,
      content: (
        <div data-testid="confirm-step">
          {options.text && <Typography.Paragraph>{options.text}</Typography.Paragraph>}
          {warnings.length > 0 && (
            <>
              <Typography.Paragraph strong>
                {t('scoring.warnings.intro', { n: warnings.length })}
              </Typography.Paragraph>
              <WarningList warnings={warnings} />
            </>
          )}
        </div>
      ),
      okText:
        warnings.length > 0 ? t('scoring.warnings.goAhead', { action: options.okText }) : options.okText,
      okButtonProps: { danger: options.danger === true || warnings.length > 0 },
      cancelText: t('common.cancel'),
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    });
  });
}
