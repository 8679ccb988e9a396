package dev.familiar.grandpa.core.api;

import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class TaskNotFoundException extends ErrorResponseException {
    TaskNotFoundException(UUID id) {
        this("no task has id " + id);
    }

    /** The task is there but what was asked of it is not. */
    TaskNotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
    }
}
