// Wagtail's autosave on an add form creates the page and only then turns the form into the
// page's edit form. An editor who sends the form while an autosave is waiting or on its way
// would post the add form a second time and get a second page ("…-2"). So: once the editor
// sends the form, no new autosave starts; one already started is waited for, and the form is
// sent again to wherever the autosave left it, with the button the editor pressed.
(() => {
  const hold = async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const app = window.wagtail && window.wagtail.app;
    const autosave = app && app.getControllerForElementAndIdentifier(form, "w-autosave");
    if (!autosave) return;
    autosave.activeValue = false;
    if (!autosave.submitPromise) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    // Wagtail disables the pressed button as it shows progress, and a disabled button is not
    // sent with the form: carry its name and value in a hidden field instead.
    const button = event.submitter;
    if (button && button.name) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = button.name;
      field.value = button.value;
      form.append(field);
    }
    try {
      await autosave.submitPromise;
    } finally {
      form.requestSubmit();
    }
  };
  document.addEventListener("submit", hold, true);
})();
