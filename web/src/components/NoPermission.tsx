import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Shown instead of a page the account's role does not include (the server refuses it anyway). */
export function NoPermission() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('common.noPermission')}
      subTitle={t('common.noPermissionText')}
      extra={
        <Button type="primary" onClick={() => void navigate('/units')}>
          {t('common.backToUnits')}
        </Button>
      }
    />
  );
}
