import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { Observable, catchError, from, mergeMap, throwError } from 'rxjs';

/**
 * Multer writes an upload to disk before the fields are validated. When the request then fails
 * (a bad field, an unknown meter, …) this removes the file, so refused uploads leave nothing behind.
 * A successful import has moved the file already; `force` makes the removal a no-op then.
 */
@Injectable()
export class UploadCleanupInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ file?: { path?: string } }>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        const path = req.file?.path;
        if (!path) return throwError(() => err);
        return from(rm(path, { force: true })).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
