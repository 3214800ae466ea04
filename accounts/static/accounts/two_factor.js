// The two-factor pages' own behaviour, next to django-otp-webauthn's script.
(() => {
  // Adding a passkey: django-otp-webauthn's script makes and stores it, then announces its
  // id; the name typed beforehand goes to the site with it.
  const nameForm = document.getElementById("passkey-name-form");
  if (nameForm) {
    document.addEventListener("otp_webauthn.register_complete", (event) => {
      if (!event.detail || !event.detail.id) {
        return;
      }
      nameForm.elements.namedItem("passkey").value = event.detail.id;
      nameForm.submit();
    });
    // Enter in the name field starts the registration instead of sending a name alone.
    nameForm.addEventListener("submit", (event) => {
      if (!nameForm.elements.namedItem("passkey").value) {
        event.preventDefault();
        const button = document.getElementById("passkey-register-button");
        if (button) {
          button.click();
        }
      }
    });
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
})();
