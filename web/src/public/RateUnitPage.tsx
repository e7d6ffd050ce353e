import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, Loading, StatusView } from './components';
import { call, newIdempotencyKey, PublicError } from './http';
import { channelFromQuery } from './RateTransactionPage';
import { RatingForm } from './RatingForm';
import { ThanksView } from './ThanksView';
import type { LevelKey, RateForm, RatingAnswer, RatingContent } from './types';

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'not_found' }
  | { kind: 'form'; form: RateForm }
  | { kind: 'limit'; limit: number }
  | { kind: 'staff' }
  | { kind: 'thanks'; level: number; held: boolean | null };

/** /q/:code — 码上评: anyone rates a unit or window from its poster's QR code, a few times a day. */
export function RateUnitPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [idempotencyKey] = useState(newIdempotencyKey);
  const channel = channelFromQuery(window.location.search, 'qr_code') === 'web' ? 'web' : 'qr_code';
  const path = `/api/public/units/${encodeURIComponent(code)}`;

  const load = useCallback(async () => {
    setView({ kind: 'loading' });
    try {
      setView({ kind: 'form', form: await call<RateForm>('GET', `${path}/rate-form`) });
    } catch (e) {
      setView(
        e instanceof PublicError && e.status === 404 ? { kind: 'not_found' } : { kind: 'failed', error: e },
      );
    }
  }, [path]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (form: RateForm, content: RatingContent) => {
    try {
      const answer = await call<RatingAnswer>('POST', `${path}/ratings`, {
        body: { ...content, channel, mode: 'offline', idempotencyKey },
      });
      setView({ kind: 'thanks', level: answer.level, held: answer.held });
    } catch (e) {
      if (!(e instanceof PublicError)) throw e;
      // Sent before: what became of it is not known here (held: null), so the page promises nothing.
      if (e.code === 'idempotency_conflict') setView({ kind: 'thanks', level: content.level, held: null });
      else if (e.code === 'daily_limit')
        setView({
          kind: 'limit',
          limit: typeof e.params.limit === 'number' ? e.params.limit : form.dailyLimit,
        });
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
      return (
        <StatusView
          tone="warning"
          title={t('states.unitNotFoundTitle')}
          text={t('states.unitNotFoundText')}
        />
      );
    case 'limit':
      return (
        <StatusView
          tone="info"
          title={t('states.limitTitle')}
          text={t('states.limitText', { limit: view.limit })}
        >
          <a className="pp-button pp-block" href={`/public/units/${encodeURIComponent(code)}`}>
            {t('thanks.publicLink')}
          </a>
        </StatusView>
      );
    case 'staff':
      return <StatusView tone="error" title={t('states.staffTitle')} text={t('states.staffText')} />;
    case 'thanks':
      return <ThanksView level={view.level} held={view.held} unitCode={code} />;
    case 'form': {
      const { form } = view;
      return (
        <RatingForm
          header={
            <section className="pp-card pp-service">
              <div className="pp-kicker">{t('unitRate.title')}</div>
              <h1>{form.unit.name}</h1>
              <p>{t('unitRate.intro')}</p>
              {form.unit.path.length > 1 && (
                <p className="pp-path">{form.unit.path.slice(0, -1).join(' › ')}</p>
              )}
              <p className="pp-hint">{t('unitRate.limit', { limit: form.dailyLimit })}</p>
            </section>
          }
          tagsOf={(level) => form.tags.offline[String(level) as LevelKey] ?? []}
          dimensions={form.dimensions}
          commentMax={form.commentMax}
          onSubmit={(content) => submit(form, content)}
        />
      );
    }
  }
}
