import { DynamicModule, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { clientDistCandidates, findClientDist, NOT_CLIENT_ROUTES } from './client-dist';

@Injectable()
class MissingClientNotice implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('WebClient').warn(
      'The web client is not built (no client/dist/index.html), so only the API is served. Run `npm run build` to build it.',
    );
  }
}

/**
 * Serves the web client (guest, staff, board and developer pages) from the same origin as the API,
 * with client-side routes falling back to index.html. The server runs without it when it was
 * not built: the API does not depend on its pages.
 */
@Module({})
export class WebClientModule {
  static forRoot(): DynamicModule {
    const rootPath = findClientDist(clientDistCandidates(__dirname, process.cwd()));
    if (rootPath === null) return { module: WebClientModule, providers: [MissingClientNotice] };
    return {
      module: WebClientModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: NOT_CLIENT_ROUTES,
          serveStaticOptions: {
            index: 'index.html',
            // Hashed bundles never change; index.html must always be fresh to point at the latest.
            setHeaders: (response: { setHeader(name: string, value: string): void }, path: string) => {
              response.setHeader(
                'Cache-Control',
                /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
              );
            },
          },
        }),
      ],
    };
  }
}
