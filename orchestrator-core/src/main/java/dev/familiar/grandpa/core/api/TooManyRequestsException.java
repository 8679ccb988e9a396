package dev.familiar.grandpa.core.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A caller's allowance is used up for now: 429, with when to try again. */
class TooManyRequestsException extends ErrorResponseException {
    TooManyRequestsException(String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
    }
}
