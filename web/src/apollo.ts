import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { storedApiKey } from './apiKey';

/** billgraph's endpoint on the same origin (the dashboard is served by the gateway at /dashboard). */
export const GRAPHQL_ENDPOINT = '/graphql';

/** Every query passes errorPolicy: 'all' itself: partial data plus errors, so one failing source never blanks the page. */
export function createClient(uri = GRAPHQL_ENDPOINT): ApolloClient {
  return new ApolloClient({
    // The key is read per request, so entering it in the key form takes effect on the next refetch.
    link: new HttpLink({
      uri,
      fetch: (input, init) => {
        const key = storedApiKey();
        const headers = new Headers(init?.headers);
        if (key) headers.set('authorization', `Bearer ${key}`);
        return fetch(input, { ...init, headers });
      },
    }),
    cache: new InMemoryCache(),
  });
}
