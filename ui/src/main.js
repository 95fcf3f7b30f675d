import { createApp } from 'vue';
import 'element-plus/theme-chalk/el-message.css';
import App from './App.vue';
import { router } from './router.js';
import './app.css';

createApp(App).use(router).mount('#app');
