import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localTime, LoadFailed, Loading, StatusView } from './components';
import { call, newIdempotencyKey, PublicError } from './http';
import { RatingForm } from './RatingForm';
import { ThanksView } from './ThanksView';
import type { LevelKey, PublicChannel, RatingAnswer, RatingContent, RatingPage } from './types';

/** `?c=` on the link says how it reached the person; the rating page inside an app is the default. */
const CHANNEL_ALIASES: Record<string, PublicChannel> = {
  sms: 'sms_link',
  sms_link: 'sms_link',
  h5: 'mobile_h5',
  mobile_h5: 'mobile_h5',
  qr: 'qr_code',
  qr_code: 'qr_code',
  web: 'web',
};

export function channelFromQuery(search: string, fallback: PublicChannel): PublicChannel {
  const asked = new URLSearchParams(search).get('c');
  return (asked && CHANNEL_ALIASES[asked]) || fallback;
}

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not_found' }
  | { kind: 'form'; page: RatingPage }
  | { kind: 'rated'; byDefault: boolean }
  | { kind: 'expired'; expiresAt: string | null }
  | { kind: 'staff' }
  | { kind: 'thanks'; level: number; unitCode: string; held: boolean | null };

/** /r/:token — the person served rates one transaction, once. */
export function RateTransactionPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: 'loading' });
  // One key per page load: a retry after a lost answer sends the same key, and is stored once.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const channel = channelFromQuery(window.location.search, 'mobile_h5');

  const load = useCallback(async () => {
    setView({ kind: 'loading' });
    try {
      const page = await call<RatingPage>('GET', `/api/public/rate/${encodeURIComponent(token)}`);
      if (page.rated) setView({ kind: 'rated', byDefault: page.ratedByDefault });
      else if (page.expired) setView({ kind: 'expired', expiresAt: page.expiresAt });
      else setView({ kind: 'form', page });
    } catch (e) {
      if (e instanceof PublicError && (e.status === 404 || e.code === 'invalid_input'))
        setView({ kind: 'not_found' });
      else setView({ kind: 'failed', error: e });
    }
  }, [token]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (page: RatingPage, content: RatingContent) => {
    try {
      const answer = await call<RatingAnswer>('POST', `/api/public/rate/${encodeURIComponent(token)}`, {
        body: { ...content, channel, idempotencyKey },
      });
      setView({ kind: 'thanks', level: answer.level, unitCode: page.unitCode, held: answer.held });
    } catch (e) {
      if (!(e instanceof PublicError)) throw e;
      // The first attempt arrived after all (its answer was lost): the rating is stored.
      if (e.code === 'idempotency_conflict')
        setView({ kind: 'thanks', level: content.level, unitCode: page.unitCode, held: null });
      else if (e.code === 'already_rated') setView({ kind: 'rated', byDefault: false });
      else if (e.code === 'link_expired') setView({ kind: 'expired', expiresAt: page.expiresAt });
      else if (e.code === 'link_not_found') setView({ kind: 'not_found' });
      else if (e.code === 'staff_cannot_rate' || e.code === 'csrf_failed') setView({ kind: 'staff' });
      else throw e;
    }
  };

  switch (view.kind) {
    case 'loading':
      return <Loading />;
    case 'failed':
      return <LoadFailed error={view.error} onRetry={() => void load()} />;
    case 'not_found':
      return <StatusView tone="warning" title={t('states.notFoundTitle')} text={t('states.notFoundText')} />;
    case 'rated':
      return view.byDefault ? (
        <StatusView tone="info" title={t('states.defaultTitle')} text={t('states.defaultText')} />
      ) : (
        <StatusView tone="success" title={t('states.ratedTitle')} text={t('states.ratedText')} />
      );
    case 'expired':
      return (
        <StatusView
          tone="warning"
          title={t('states.expiredTitle')}
          text={t('states.expiredText', { date: localTime(view.expiresAt).slice(0, 10) })}
        />
      );
    case 'staff':
      return <StatusView tone="error" title={t('states.staffTitle')} text={t('states.staffText')} />;
    case 'thanks':
      return <ThanksView level={view.level} held={view.held} unitCode={view.unitCode} transaction />;
    case 'form':
      return (
        <RatingForm
          header={<ServiceCard page={view.page} />}
          tagsOf={(level) => view.page.tags[String(level) as LevelKey] ?? []}
          dimensions={view.page.dimensions}
          commentMax={view.page.commentMax}
          onSubmit={(content) => submit(view.page, content)}
        />
      );
  }
}

/** What is being rated: the unit, the window, the service item, the staff member, the time. */
function ServiceCard({ page }: { page: RatingPage }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [[t('rate.unit'), page.unitName]];
  if (page.windowName) rows.push([t('rate.window'), page.windowName]);
  if (page.serviceItemName) rows.push([t('rate.item'), page.serviceItemName]);
  if (page.staff) rows.push([t('rate.staff'), page.staff]);
  rows.push([
    t('rate.time'),
    `${localTime(page.completedAt ?? page.receivedAt)}${page.mode === 'online' ? ` · ${t('rate.online')}` : ''}`,
  ]);
  return (
    <section className="pp-card pp-service">
      <h1>{t('rate.title')}</h1>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="pp-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
