import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Stars, StatusView } from './components';

/** After a rating: thanks, and for a bad review what happens next and where to follow it. */
export function ThanksView({
  level,
  unitCode,
  children,
}: {
  level: number;
  unitCode?: string;
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
      <p>{bad ? t('thanks.badText') : t('thanks.text', { level: name })}</p>
      {unitCode && (
        <a className="pp-button pp-block" href={`/public/units/${encodeURIComponent(unitCode)}`}>
          {t('thanks.publicLink')}
        </a>
      )}
      {children}
    </StatusView>
  );
}
