import { createRouter, createWebHistory } from 'vue-router';
import { api, setCsrf } from './api.js';
import { session } from './session.js';

const routes = [
  { path: '/login', component: () => import('./pages/Login.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./pages/Layout.vue'),
    children: [
      { path: '', redirect: '/workbench' },
      { path: 'workbench', component: () => import('./pages/Workbench.vue'), meta: { title: '工作台' } },
      { path: 'notices', component: () => import('./pages/Notices.vue'), meta: { title: '督办' } },
      { path: 'search', component: () => import('./pages/Search.vue'), meta: { title: '案件查询' } },
      { path: 'intake', component: () => import('./pages/Intake.vue'), meta: { title: '受理' } },
      { path: 'dashboard', component: () => import('./pages/Dashboard.vue'), meta: { title: '统计' } },
      { path: 'ledger', component: () => import('./pages/Ledger.vue'), meta: { title: '清零台账' } },
      { path: 'indicators', component: () => import('./pages/Indicators.vue'), meta: { title: '1+10+N' } },
      { path: 'projects', component: () => import('./pages/Projects.vue'), meta: { title: '重点项目' } },
      { path: 'bulletin', component: () => import('./pages/Bulletin.vue'), meta: { title: '通报' } },
      { path: 'kb', component: () => import('./pages/Kb.vue'), meta: { title: '知识库' } },
      { path: 'policy', component: () => import('./pages/Policy.vue'), meta: { title: '时限规则' } },
      { path: 'calendar', component: () => import('./pages/Calendar.vue'), meta: { title: '工作日历' } },
      { path: 'reference', component: () => import('./pages/Reference.vue'), meta: { title: '基础数据' } },
      { path: 'users', component: () => import('./pages/Users.vue'), meta: { title: '用户管理' } },
      { path: 'settings', component: () => import('./pages/Settings.vue'), meta: { title: '系统设置' } },
      { path: 'audit', component: () => import('./pages/Audit.vue'), meta: { title: '审计' } },
      { path: 'points', component: () => import('./pages/Points.vue'), meta: { title: '码上评' } },
      { path: 'cases/:id', component: () => import('./pages/Case.vue'), meta: { title: '案件详情' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/workbench' },
];

export const router = createRouter({ history: createWebHistory(), routes });

// Every staff page needs a session: ask the server who this is once.
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.user) {
    try {
      const me = await api('GET', '/me');
      setCsrf(me.csrf_token);
      session.user = me;
    } catch {
      return { path: '/login', query: to.fullPath !== '/workbench' ? { next: to.fullPath } : {} };
    }
  }
  return true;
});
