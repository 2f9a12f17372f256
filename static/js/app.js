// Behaviour that would otherwise need inline script (the Content Security Policy forbids it).

// <form data-confirm="Question?">: ask before sending.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// htmx requests carry the CSRF token from the cookie-less form token on the page.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});
