// Pre-selects the browser's own time zone in the sign-up form's time zone field.
const select = document.querySelector("select[name=time_zone]");
if (select && !select.dataset.touched) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((option) => option.value === zone) && select.value === "UTC") {
    select.value = zone;
  }
}
