import { Route } from 'react-router';
import { CampaignPage } from './CampaignPage';
import { CampaignsPage } from './CampaignsPage';
import { DesignerPage } from './DesignerPage';

/** The console's routes for evaluation campaigns (inside the layout). */
export const campaignRoutes = (
  <>
    <Route path="campaigns" element={<CampaignsPage />} />
    <Route path="campaigns/new" element={<DesignerPage />} />
    <Route path="campaigns/:id" element={<CampaignPage />} />
  </>
);
