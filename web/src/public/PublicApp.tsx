import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BallotPage } from './ballot/BallotPage';
import { ReceiptPage } from './ballot/ReceiptPage';
import { StatusView, Shell } from './components';
import { DrawPublicPage } from './DrawPublicPage';
import { JudgePage } from './JudgePage';
import { KioskPage } from './KioskPage';
import { LedgerPublicPage } from './LedgerPublicPage';
import { RateTransactionPage } from './RateTransactionPage';
import { RateUnitPage } from './RateUnitPage';
import { NoticePage } from './results/NoticePage';
import { ResultPage } from './results/ResultPage';
import { ResultsListPage } from './results/ResultsListPage';
import { ResultUnitPage } from './results/ResultUnitPage';
import { parseResultsRoute, type ResultsRoute } from './results/routes';
import { UnitPublicPage } from './UnitPublicPage';
import { WindowFilePage, WindowStatusPage } from './WindowPages';

type Route =
  | { page: 'rate'; token: string }
  | { page: 'unit-rate'; code: string }
  | { page: 'kiosk'; code: string }
  | { page: 'unit-public'; code: string }
  | { page: 'judge'; token: string }
  | { page: 'draw'; id: string }
  | { page: 'ballot' }
  | { page: 'receipt'; roundId: string }
  | { page: 'ledger' }
  | { page: 'window' }
  | { page: 'window-status'; code: string }
  | ResultsRoute
  | { page: 'none' };

/** The public pages need no router: each address names one page and one key. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'r' && second && parts.length === 2) return { page: 'rate', token: second };
  if (first === 'q' && second && parts.length === 2) return { page: 'unit-rate', code: second };
  if (first === 'kiosk' && second && parts.length === 2) return { page: 'kiosk', code: second };
  if (first === 'j' && second && parts.length === 2) return { page: 'judge', token: second };
  if (first === 'public' && second === 'units' && third && parts.length === 3)
    return { page: 'unit-public', code: third };
  if (first === 'public' && second === 'draws' && third && parts.length === 3)
    return { page: 'draw', id: third };
  // The invitation link: /ballot#<token> (the token after '#' never reaches the server's logs).
  if (first === 'ballot' && parts.length === 1) return { page: 'ballot' };
  if (first === 'public' && second === 'receipts' && third && parts.length === 3)
    return { page: 'receipt', roundId: third };
  if (first === 'public' && second === 'ledger' && parts.length === 2) return { page: 'ledger' };
  if (first === 'public' && second === 'window' && parts.length === 2) return { page: 'window' };
  if (first === 'public' && second === 'window' && third && parts.length === 3)
    return { page: 'window-status', code: third };
  if (first === 'public' && second === 'results')
    return parseResultsRoute(parts.slice(2)) ?? { page: 'none' };
  return { page: 'none' };
}

const TITLES: Record<Route['page'], string> = {
  rate: 'rate.title',
  'unit-rate': 'unitRate.title',
  kiosk: 'kiosk.intro',
  'unit-public': 'public.title',
  judge: 'judge.title',
  draw: 'draw.title',
  ballot: 'ballot.pageTitle',
  receipt: 'receipt.title',
  ledger: 'ledger.title',
  window: 'window.title',
  'window-status': 'window.status.title',
  results: 'results.listTitle',
  result: 'results.listTitle',
  'result-unit': 'results.unit.kicker',
  'result-notice': 'results.notice.print',
  none: 'app.notFoundTitle',
};

export function PublicApp() {
  const { t } = useTranslation();
  const route = parseRoute(window.location.pathname);

  useEffect(() => {
    document.title = `${t(TITLES[route.page])} · ${t('app.name')}`;
  }, [route.page, t]);

  switch (route.page) {
    case 'rate':
      return (
        <Shell>
          <RateTransactionPage token={route.token} />
        </Shell>
      );
    case 'unit-rate':
      return (
        <Shell>
          <RateUnitPage code={route.code} />
        </Shell>
      );
    case 'kiosk':
      return (
        <Shell kiosk wide>
          <KioskPage code={route.code} />
        </Shell>
      );
    case 'unit-public':
      return (
        <Shell>
          <UnitPublicPage code={route.code} />
        </Shell>
      );
    case 'draw':
      return (
        <Shell wide>
          <DrawPublicPage id={route.id} />
        </Shell>
      );
    case 'ledger':
      return (
        <Shell wide>
          <LedgerPublicPage />
        </Shell>
      );
    case 'window':
      return (
        <Shell>
          <WindowFilePage />
        </Shell>
      );
    case 'window-status':
      return (
        <Shell>
          <WindowStatusPage code={route.code} />
        </Shell>
      );
    case 'judge':
      return (
        <Shell>
          <JudgePage token={route.token} />
        </Shell>
      );
    case 'ballot':
      return (
        <Shell>
          <BallotPage />
        </Shell>
      );
    case 'receipt':
      return (
        <Shell>
          <ReceiptPage roundId={route.roundId} />
        </Shell>
      );
    case 'results':
      return (
        <Shell wide>
          <ResultsListPage />
        </Shell>
      );
    case 'result':
      return (
        <Shell wide>
          <ResultPage id={route.id} />
        </Shell>
      );
    case 'result-unit':
      return (
        <Shell wide>
          <ResultUnitPage id={route.id} unitId={route.unitId} />
        </Shell>
      );
    case 'result-notice':
      return (
        <Shell wide>
          <NoticePage id={route.id} />
        </Shell>
      );
    case 'none':
      return (
        <Shell>
          <StatusView tone="warning" title={t('app.notFoundTitle')} text={t('app.notFoundText')} />
        </Shell>
      );
  }
}
