import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

/** billgraph's endpoint on the same origin (the dashboard is served by the gateway at /dashboard). */
export const GRAPHQL_ENDPOINT = '/graphql';

/** Every query passes errorPolicy: 'all' itself: partial data plus errors, so one failing source never blanks the page. */
export function createClient(uri = GRAPHQL_ENDPOINT): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri }),
    cache: new InMemoryCache(),
  });
}
