/**
 * Providers (server state, language, Ant Design's locale and theme) and the routes.
 * Every page but the shell is loaded on demand (route-split).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { routes } from './routes';

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: true, staleTime: 5_000 } } });
const router = createBrowserRouter(routes);

/** Colours chosen for contrast (WCAG AA on white) and a government-service look. */
const theme = {
  token: { colorPrimary: '#0b5cad', colorLink: '#0b5cad', colorError: '#c0262d', borderRadius: 6, fontSize: 15, colorTextDescription: 'rgba(0,0,0,0.65)', colorTextTertiary: 'rgba(0,0,0,0.62)' },
  components: { Descriptions: { labelColor: 'rgba(0,0,0,0.72)', labelBg: '#f5f6f8' } },
};

function Themed() {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'vi' ? viVN : enUS} theme={theme}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  );
}
