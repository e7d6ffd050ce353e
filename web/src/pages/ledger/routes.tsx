import { Route } from 'react-router';
import { lazyPage } from '../../lazyPage';

// Each page is its own chunk, loaded when its route is first opened.
const FollowUpsPage = lazyPage(() => import('./FollowUpsPage'), 'FollowUpsPage');
const InboxPage = lazyPage(() => import('./InboxPage'), 'InboxPage');
const ItemsPage = lazyPage(() => import('./ItemsPage'), 'ItemsPage');
const ProblemsPage = lazyPage(() => import('./ProblemsPage'), 'ProblemsPage');
const TopicsPage = lazyPage(() => import('./TopicsPage'), 'TopicsPage');

/** The console's routes for the comment inbox, problem lists and the rectification ledger (inside the layout). */
export const ledgerRoutes = (
  <>
    <Route path="ledger/inbox" element={<InboxPage />} />
    <Route path="ledger/topics" element={<TopicsPage />} />
    <Route path="ledger/problems" element={<ProblemsPage />} />
    <Route path="ledger/items" element={<ItemsPage />} />
    <Route path="ledger/items/:itemId" element={<ItemsPage />} />
    <Route path="ledger/follow-ups" element={<FollowUpsPage />} />
  </>
);
