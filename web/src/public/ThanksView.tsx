import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Stars, StatusView } from './components';

/**
 * After a rating: thanks, and for a bad review what happens next and where to follow it — only what is
 * true: a held rating (outside opening hours …) has not been passed to anyone yet, and a text message is
 * promised only where the transaction may have a phone number (the rating form itself never asks for one).
 */
export function ThanksView({
  level,
  held,
  unitCode,
  transaction = false,
  children,
}: {
  level: number;
  /** Held for the office to check: not counted and not passed to the unit yet; null: not known. */
  held: boolean | null;
  unitCode?: string;
  /** A rating of a transaction (办件), which may carry the phone number left when it was handled. */
  transaction?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const bad = level <= 2;
  const name = t(`levels.${level}`);
  return (
    <StatusView tone="success" title={bad ? t('thanks.badTitle') : t('thanks.title')}>
      <p className="pp-thanks-level">
        <Stars n={level} label={name} /> {name}
      </p>
      <p data-testid="thanks-text">
        {bad
          ? held === null
            ? t('thanks.badReceivedText')
            : held
              ? t('thanks.badHeldText')
              : transaction
                ? t('thanks.badTextTransaction')
                : t('thanks.badText')
          : t('thanks.text', { level: name })}
      </p>
      {unitCode && (
        <a className="pp-button pp-block" href={`/public/units/${encodeURIComponent(unitCode)}`}>
          {t('thanks.publicLink')}
        </a>
      )}
      {children}
    </StatusView>
  );
}
