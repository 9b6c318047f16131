package dev.corral.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiExceptionTest {

  @Test
  void readsMarathonValidationDetailsOneLinePerError() {
    ApiException e = ApiException.fromResponse("POST", "/v2/apps", 422, """
        {"message": "Object is not valid",
         "details": [{"path": "/id", "errors": ["error.pattern", "error.path.missing"]},
                     {"path": "/cpus", "errors": ["error.min"]}]}
        """);

    assertThat(e.status()).isEqualTo(422);
    assertThat(e.getMessage()).isEqualTo("Object is not valid");
    assertThat(e.details()).containsExactly("/id: error.pattern", "/id: error.path.missing", "/cpus: error.min");
  }

  @Test
  void acceptsTheOlderAttributeErrorShape() {
    ApiException e = ApiException.fromResponse("POST", "/v2/apps", 422, """
        {"message": "Invalid JSON", "details": [{"attribute": "mem", "error": "must be positive"}]}
        """);

    assertThat(e.details()).containsExactly("mem: must be positive");
  }

  @Test
  void aNonJsonBodyIsCutToItsFirstLine() {
    ApiException e = ApiException.fromResponse("GET", "/v2/apps", 502,
        "Bad Gateway\n<html><body>nginx</body></html>");

    assertThat(e.getMessage()).isEqualTo("Bad Gateway");
    assertThat(e.details()).isEmpty();
  }

  @Test
  void aConflictKeepsTheIdsOfTheDeploymentsInTheWay() {
    ApiException e = ApiException.fromResponse("PUT", "/v2/apps/web", 409, """
        {"message": "App is locked by one or more deployments.",
         "deployments": [{"id": "97c136bf-5a28-4821-9d94-480d9fbb01c8"}, {"id": "dep-2"}]}
        """);

    assertThat(e.deployments()).containsExactly("97c136bf-5a28-4821-9d94-480d9fbb01c8", "dep-2");
  }

  @Test
  void anEmptyBodyNamesTheRequest() {
    ApiException e = ApiException.fromResponse("DELETE", "/v2/apps/x", 500, "");

    assertThat(e.getMessage()).isEqualTo("DELETE /v2/apps/x failed");
  }

  @Test
  void anEmptyNotFoundSaysNotFound() {
    ApiException e = ApiException.fromResponse("GET", "/v2/groups", 404, "");

    assertThat(e.getMessage()).isEqualTo("GET /v2/groups: not found");
  }
}
