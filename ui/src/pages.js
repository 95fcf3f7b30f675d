import { ref } from 'vue';
import { api } from './api.js';

// A case list the API pages by cursor, shown with a pager of `size` rows:
// path(cursor) is the GET path of a page. The cursors of the pages seen so
// far are kept, so the pager can go back; one more page exists exactly when
// the API gave a cursor for it. A failure is said in `problem`.
export function useCursorPages(size, path) {
  const rows = ref([]);
  const loading = ref(false);
  const problem = ref('');
  const cursors = ref(['']);
  const page = ref(1);
  const total = ref(size);
  async function load() {
    loading.value = true;
    problem.value = '';
    try {
      const r = await api('GET', path(cursors.value[page.value - 1]));
      rows.value = r.cases;
      if (r.next_cursor) cursors.value[page.value] = r.next_cursor;
      total.value = (page.value + (r.next_cursor ? 1 : 0)) * size;
    } catch (e) {
      problem.value = e.chinese;
    } finally {
      loading.value = false;
    }
  }
  const reload = () => { cursors.value = ['']; page.value = 1; return load(); };
  const go = (n) => { page.value = n; return load(); };
  return { rows, loading, problem, page, total, reload, go };
}
