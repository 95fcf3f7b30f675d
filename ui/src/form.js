// A form in a dialog, as the admin pages keep them: open it on a record (or
// a blank one), check it with its rules, send it, and put the API's error
// beside the field it names — or above the buttons when it names none.
import { reactive, ref } from 'vue';

export function useFormDialog() {
  const open = ref(false);
  const busy = ref(false);
  const formRef = ref();
  const form = reactive({});
  const errors = reactive({});
  const problem = ref('');

  function clear() {
    for (const k of Object.keys(errors)) delete errors[k];
    problem.value = '';
  }
  function begin(fields) {
    for (const k of Object.keys(form)) delete form[k];
    Object.assign(form, fields);
    clear();
    formRef.value?.clearValidate();
    open.value = true;
  }
  // send(): the request; explain(e): the words for an error the page knows
  // better, true when it has put them beside a field itself, or nothing.
  // Closes the dialog when it succeeds; returns whether.
  async function submit(send, explain) {
    clear();
    if (formRef.value && !(await formRef.value.validate().catch(() => false))) return false;
    busy.value = true;
    try {
      await send();
      open.value = false;
      return true;
    } catch (e) {
      const said = explain && explain(e);
      if (said === true) { /* said beside its field */ } else if (said) problem.value = said;
      else if (e.field && e.field in form) errors[e.field] = e.chinese;
      else problem.value = e.chinese;
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { open, busy, formRef, form, errors, problem, begin, submit };
}
