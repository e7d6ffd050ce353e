import { Route } from 'react-router';
import { FollowUpsPage } from './FollowUpsPage';
import { InboxPage } from './InboxPage';
import { ItemsPage } from './ItemsPage';
import { ProblemsPage } from './ProblemsPage';
import { TopicsPage } from './TopicsPage';

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
