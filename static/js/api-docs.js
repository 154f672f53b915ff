// The API documentation page (/api/v1/docs): Swagger UI from static/vendor/swagger-ui, configured from
// the JSON block the page carries (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var body = document.body.dataset;
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  if (body.apiCsrf && body.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();
