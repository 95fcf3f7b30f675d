import { reactive } from 'vue';

// Who is signed in (GET /me), shared by the pages.
export const session = reactive({ user: null });

// The menu: each entry only for the roles that may use it.
export const menu = [
  { path: '/workbench', label: '工作台', roles: ['operator', 'dispatcher', 'handler', 'leader', 'admin', 'security', 'auditor'] },
  { path: '/intake', label: '受理', roles: ['operator', 'dispatcher'] },
  { path: '/search', label: '案件查询', roles: ['operator', 'dispatcher', 'handler', 'leader'] },
  { path: '/notices', label: '督办', roles: ['dispatcher', 'handler', 'leader'] },
  { path: '/ledger', label: '清零台账', roles: ['dispatcher', 'handler', 'leader'] },
  { path: '/dashboard', label: '统计', roles: ['dispatcher', 'leader'] },
  { path: '/bulletin', label: '通报', roles: ['dispatcher', 'leader'] },
  { path: '/indicators', label: '1+10+N', roles: ['dispatcher', 'leader'] },
  { path: '/projects', label: '重点项目', roles: ['dispatcher', 'leader', 'handler'] },
  { path: '/points', label: '码上评', roles: ['dispatcher', 'handler', 'leader', 'admin'] },
  { path: '/kb', label: '知识库', roles: ['operator', 'dispatcher', 'handler'] },
  { path: '/policy', label: '时限规则', roles: ['admin', 'dispatcher'] },
  { path: '/calendar', label: '工作日历', roles: ['admin', 'dispatcher'] },
  { path: '/users', label: '用户管理', roles: ['security'] },
  { path: '/reference', label: '基础数据', roles: ['admin'] },
  { path: '/settings', label: '系统设置', roles: ['admin'] },
  { path: '/audit', label: '审计', roles: ['auditor'] },
];
