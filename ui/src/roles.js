import { t } from './i18n.js';

// The roles' names as the pages show them. The three administrators
// (三员分立) are made and changed on the server's command line only; the
// security administrator grants the business roles, and only those.
export const roleLabels = {
  operator: t('话务员'), dispatcher: t('督办员'), handler: t('承办员'), leader: t('领导'),
  admin: t('系统管理员'), security: t('安全管理员'), auditor: t('审计管理员'),
};
const business = ['operator', 'dispatcher', 'handler', 'leader'];
export const grantable = Object.fromEntries(business.map((r) => [r, roleLabels[r]]));
export const managed = (role) => business.includes(role);
