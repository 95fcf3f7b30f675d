import { onBeforeUnmount, ref } from 'vue';

// Whether the window is a phone's (under 768 px), kept up to date.
export function useNarrow() {
  const narrow = ref(window.innerWidth < 768);
  const onResize = () => { narrow.value = window.innerWidth < 768; };
  window.addEventListener('resize', onResize);
  onBeforeUnmount(() => window.removeEventListener('resize', onResize));
  return narrow;
}
